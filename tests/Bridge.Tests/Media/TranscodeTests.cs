using System.Diagnostics;
using System.Net.Http.Json;
using System.Runtime.Versioning;
using System.Text;
using System.Text.Json.Nodes;
using Bridge.Fakes;
using Bridge.Tests.Admin;
using Bridge.Tests.Infrastructure;
using Bridge.Tests.Slack;
using Microsoft.Extensions.Time.Testing;

namespace Bridge.Tests.Media;

/// <summary>
/// Audio reaches WhatsApp as an Ogg/Opus voice note and video it can't play as H.264 MP4, converted by Debian's ffmpeg;
/// the files are a second of sine wave and test pattern that ffmpeg makes here.
/// </summary>
public sealed class TranscodeTests
{
    private const string MessageTs = "1767224100.123459";

    [Theory]
    [InlineData("memo.m4a", "audio/mp4", "-c:a aac")]
    [InlineData("memo.mp3", "audio/mpeg", "-c:a libmp3lame")]
    [InlineData("memo.webm", "audio/webm", "-c:a libopus")]
    public async Task An_audio_file_reaches_WhatsApp_as_an_Ogg_Opus_voice_note(string name, string mimeType, string codec)
    {
        await using var app = await BridgeApp.StartAsync();
        await app.LinkAsync();
        var audio = await MakeAsync(name, ["-f", "lavfi", "-i", "sine=frequency=440:duration=1", .. codec.Split(' ')]);

        await SendAsync(app, SlackPayloads.File(name, mimeType, audio.Length, app.Slack.AddFile(name, audio, mimeType)));

        var send = await SentAsync(app);
        Assert.Equal(("voice", "audio/ogg; codecs=opus"), (send.Type, send.MimeType));
        Assert.Contains("/" + Path.ChangeExtension(name, ".ogg"), send.Url);
        var voice = await SlackShortcutTests.FetchAsync(app, send.Url!);
        Assert.Equal("OggS", Encoding.ASCII.GetString(voice, 0, 4));
        Assert.Contains("OpusHead", Encoding.ASCII.GetString(voice));
    }

    [Fact]
    public async Task A_Slack_audio_clip_typed_as_video_goes_as_a_voice_note()
    {
        await using var app = await BridgeApp.StartAsync();
        await app.LinkAsync();
        var clip = await MakeAsync("audio_message.mp4", ["-f", "lavfi", "-i", "sine=frequency=440:duration=1", "-c:a", "aac"]);
        var file = SlackPayloads.File("audio_message.mp4", "video/mp4", clip.Length, app.Slack.AddFile("audio_message.mp4", clip, "video/mp4"));
        // As Slack describes a clip recorded in its audio mode (https://docs.slack.dev/reference/objects/file-object).
        file["subtype"] = "slack_audio";
        file["media_display_type"] = "audio";

        await SendAsync(app, file);

        var send = await SentAsync(app);
        Assert.Equal(("voice", "audio/ogg; codecs=opus"), (send.Type, send.MimeType));
        Assert.Contains("OpusHead", Encoding.ASCII.GetString(await SlackShortcutTests.FetchAsync(app, send.Url!)));
    }

    [Fact]
    public async Task A_WebM_video_of_an_odd_width_comes_out_as_H264_MP4()
    {
        await using var app = await BridgeApp.StartAsync();
        await app.LinkAsync();
        // H.264 in 4:2:0 needs even sides; a phone's crop may not have them.
        var video = await MakeAsync("gate.webm", ["-f", "lavfi", "-i", "testsrc=size=65x49:rate=10:duration=1", .. Pattern[4..], "-c:v", "libvpx", "-c:a", "libopus", "-shortest"]);

        await SendAsync(app, SlackPayloads.File("gate.webm", "video/webm", video.Length, app.Slack.AddFile("gate.webm", video, "video/webm")));

        var send = await SentAsync(app);
        Assert.Equal(("video", "video/mp4"), (send.Type, send.MimeType));
        var mp4 = await SlackShortcutTests.FetchAsync(app, send.Url!);
        Assert.Equal("ftyp", Encoding.ASCII.GetString(mp4, 4, 4));
        Assert.Contains("avc1", Encoding.ASCII.GetString(mp4));
    }

    [Fact]
    public async Task An_H264_QuickTime_movie_comes_out_as_MP4()
    {
        await using var app = await BridgeApp.StartAsync();
        await app.LinkAsync();
        var movie = await MakeAsync("gate.mov", [.. Pattern, "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest"]);

        await SendAsync(app, SlackPayloads.File("gate.mov", "video/quicktime", movie.Length, app.Slack.AddFile("gate.mov", movie, "video/quicktime")));

        var send = await SentAsync(app);
        Assert.Equal(("video", "video/mp4"), (send.Type, send.MimeType));
        Assert.Contains("/gate.mp4", send.Url);
        Assert.NotEqual(movie, await SlackShortcutTests.FetchAsync(app, send.Url!));
    }

    [Fact]
    public async Task An_H264_MP4_video_is_passed_through_untouched()
    {
        await using var app = await BridgeApp.StartAsync();
        await app.LinkAsync();
        var video = await MakeAsync("gate.mp4", [.. Pattern, "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest"]);

        await SendAsync(app, SlackPayloads.File("gate.mp4", "video/mp4", video.Length, app.Slack.AddFile("gate.mp4", video, "video/mp4")));

        var send = await SentAsync(app);
        Assert.Equal(("video", "video/mp4"), (send.Type, send.MimeType));
        Assert.Equal(video, await SlackShortcutTests.FetchAsync(app, send.Url!));
    }

    [Fact]
    public async Task A_corrupt_audio_file_is_sent_as_it_is_and_the_reply_says_so()
    {
        await using var app = await BridgeApp.StartAsync();
        await app.LinkAsync();
        var noise = SlackShortcutTests.RandomBytes(3000);

        await SendAsync(app, SlackPayloads.File("memo.m4a", "audio/mp4", noise.Length, app.Slack.AddFile("memo.m4a", noise, "audio/mp4")));

        var send = await SentAsync(app);
        Assert.Equal(("voice", "audio/mp4"), (send.Type, send.MimeType));
        Assert.Equal(noise, await SlackShortcutTests.FetchAsync(app, send.Url!));
        var reply = await SlackShortcutTests.ReplyInThreadAsync(app, MessageTs);
        Assert.EndsWith("\nℹ️ memo.m4a was sent as it is: Bridge could not convert it to a voice note (ffmpeg could not read it).", reply.Text);
    }

    [Fact]
    public async Task A_voice_note_larger_than_the_limit_once_converted_is_sent_as_it_is()
    {
        // 5 s at 8 kbit/s is about 5 KB; as a voice note at 32 kbit/s it would be about 20 KB.
        await using var app = await BridgeApp.StartAsync(a => a.Settings["Media:MaxAudioBytes"] = "8000");
        await app.LinkAsync();
        var audio = await MakeAsync("memo.mp3", ["-f", "lavfi", "-i", "sine=frequency=440:duration=5", "-ac", "1", "-ar", "8000", "-b:a", "8k"]);
        Assert.InRange(audio.Length, 1, 8000);

        await SendAsync(app, SlackPayloads.File("memo.mp3", "audio/mpeg", audio.Length, app.Slack.AddFile("memo.mp3", audio, "audio/mpeg")));

        var send = await SentAsync(app);
        Assert.Equal(("voice", "audio/mpeg"), (send.Type, send.MimeType));
        Assert.Equal(audio, await SlackShortcutTests.FetchAsync(app, send.Url!));
        var reply = await SlackShortcutTests.ReplyInThreadAsync(app, MessageTs);
        Assert.EndsWith("(converted, it is larger than the 7.8 KB allowed).", reply.Text);
    }

    [Fact]
    [SupportedOSPlatform("linux")]
    public async Task An_ffmpeg_run_past_the_time_limit_is_stopped_and_the_file_sent_as_it_is()
    {
        // An ffmpeg that says it started, then never finishes; ffprobe is the real one.
        var folder = Directory.CreateTempSubdirectory("bridge-slow-ffmpeg-");
        var started = Path.Combine(folder.FullName, "started");
        File.CreateSymbolicLink(Path.Combine(folder.FullName, "ffprobe"), "/usr/bin/ffprobe");
        var ffmpeg = Path.Combine(folder.FullName, "ffmpeg");
        await File.WriteAllTextAsync(ffmpeg, $"#!/bin/sh\n[ \"$1\" = -version ] && exit 0\necho started > '{started}'\nexec sleep 600\n");
        File.SetUnixFileMode(ffmpeg, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        using var fifo = Process.Start("mkfifo", started);
        await fifo.WaitForExitAsync();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = await BridgeApp.StartAsync(a =>
        {
            a.Time = time;
            a.Settings["Media:FfmpegFolder"] = folder.FullName;
        });
        await app.LinkAsync();
        var audio = await MakeAsync("memo.m4a", ["-f", "lavfi", "-i", "sine=frequency=440:duration=1", "-c:a", "aac"]);

        await SendAsync(app, SlackPayloads.File("memo.m4a", "audio/mp4", audio.Length, app.Slack.AddFile("memo.m4a", audio, "audio/mp4")));
        // Opening the pipe waits for the script to write to it: ffmpeg is running.
        Assert.Equal("started", (await File.ReadAllTextAsync(started)).Trim());
        time.Advance(TimeSpan.FromMinutes(2));

        var send = await SentAsync(app);
        Assert.Equal(audio, await SlackShortcutTests.FetchAsync(app, send.Url!));
        var reply = await SlackShortcutTests.ReplyInThreadAsync(app, MessageTs);
        Assert.EndsWith("\nℹ️ memo.m4a was sent as it is: Bridge could not convert it to a voice note (ffmpeg took longer than 120 s).", reply.Text);
        folder.Delete(recursive: true);
    }

    [Fact]
    public async Task Without_ffmpeg_audio_goes_as_it_is_and_start_up_says_so()
    {
        var empty = Directory.CreateTempSubdirectory("bridge-no-ffmpeg-");
        await using var app = await AdminApp.StartAsync(a => a.Settings["Media:FfmpegFolder"] = empty.FullName);
        await app.LinkAsync();
        var audio = await MakeAsync("memo.m4a", ["-f", "lavfi", "-i", "sine=frequency=440:duration=1", "-c:a", "aac"]);

        await SendAsync(app, SlackPayloads.File("memo.m4a", "audio/mp4", audio.Length, app.Slack.AddFile("memo.m4a", audio, "audio/mp4")));

        var send = await SentAsync(app);
        Assert.Equal(("voice", "audio/mp4"), (send.Type, send.MimeType));
        Assert.Equal(audio, await SlackShortcutTests.FetchAsync(app, send.Url!));
        Assert.Single(app.Logs, line => line.Contains("ffmpeg was not found") && line.Contains("audio is sent as it is"));

        var setup = await app.Api().GetFromJsonAsync<JsonObject>("/admin/api/setup");
        var card = setup!["integrations"]!.AsArray().Single(c => (string?)c!["name"] == "Voice notes and video (ffmpeg)")!;
        Assert.Equal(("needs-attention", "ffmpeg was not found: audio is sent as it is, not as voice notes, and video is not converted."),
            ((string?)card["state"], (string?)card["summary"]));
    }

    private static readonly string[] Pattern =
        ["-f", "lavfi", "-i", "testsrc=size=64x48:rate=10:duration=1", "-f", "lavfi", "-i", "sine=frequency=440:duration=1"];

    private static Task SendAsync(BridgeApp app, JsonObject file) =>
        app.PostShortcutAsync(SlackPayloads.MessageAction("", files: new JsonArray(file)));

    private static async Task<ReceivedSend> SentAsync(BridgeApp app)
    {
        await app.WhatsApp.WaitForSendsAsync(1);
        return Assert.Single(app.WhatsApp.Sends);
    }

    /// <summary>A file ffmpeg makes with these arguments, named <paramref name="name"/> so its extension picks the container.</summary>
    internal static async Task<byte[]> MakeAsync(string name, string[] arguments)
    {
        var folder = Directory.CreateTempSubdirectory("bridge-media-test-");
        try
        {
            var output = Path.Combine(folder.FullName, name);
            var start = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true };
            foreach (var argument in (string[])["-hide_banner", "-loglevel", "error", .. arguments, "-y", output])
            {
                start.ArgumentList.Add(argument);
            }

            using var ffmpeg = Process.Start(start)!;
            var errors = await ffmpeg.StandardError.ReadToEndAsync();
            await ffmpeg.WaitForExitAsync();
            Assert.True(ffmpeg.ExitCode == 0, $"ffmpeg could not make {name}: {errors}");
            return await File.ReadAllBytesAsync(output);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
