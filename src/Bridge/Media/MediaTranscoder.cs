using System.Diagnostics;
using System.Globalization;
using Bridge.Forwarding;
using FFMpegCore;
using Microsoft.Extensions.Options;

namespace Bridge.Media;

/// <summary>
/// Makes files play in WhatsApp, with Debian's <c>ffmpeg</c> (through FFMpegCore): audio becomes an Ogg/Opus mono
/// voice note, and video WhatsApp can't play (WebM, HEVC or ProRes MOV, …) becomes H.264/AAC MP4 within the video
/// limit. MP4 with H.264 is left as it is. WhatsApp plays voice notes only as Ogg/Opus
/// (https://developers.facebook.com/docs/whatsapp/cloud-api/reference/media#supported-media-types).
/// <para>
/// ffmpeg reads and writes files Bridge names in a folder of its own, never text from a chat, and may only open that
/// file (<c>-protocol_whitelist file</c>) with the demuxers of media containers (<c>-format_whitelist</c>): a "video"
/// that is really an HLS playlist must not make ffmpeg read other files or fetch URLs
/// (https://ffmpeg.org/ffmpeg-formats.html#Format-Options). A run is cut at <see cref="MediaOptions.TranscodeTimeout"/>
/// and its output at the kind's size limit.
/// </para>
/// </summary>
internal sealed partial class MediaTranscoder(IOptions<MediaOptions> options, TimeProvider time, ILogger<MediaTranscoder> logger) : IHostedService
{
    public const string VoiceContentType = "audio/ogg; codecs=opus";

    private const string Containers = "mov,mp4,m4a,3gp,3g2,mj2,matroska,webm,ogg,mp3,wav,aac,flac,amr";
    private const string InputLimits = "-protocol_whitelist file -format_whitelist " + Containers;

    private readonly SemaphoreSlim _oneAtATime = new(1, 1);

    /// <summary>Whether ffmpeg answered at start-up; without it files go as they are.</summary>
    public bool Available { get; private set; }

    private FFOptions Binaries => new() { BinaryFolder = options.Value.FfmpegFolder ?? "" };

    async Task IHostedService.StartAsync(CancellationToken cancellationToken)
    {
        var folder = options.Value.FfmpegFolder;
        string Program(string name) => string.IsNullOrEmpty(folder) ? name : Path.Combine(folder, name);
        Available = await AnswersAsync(Program("ffmpeg")) && await AnswersAsync(Program("ffprobe"));
        if (!Available)
        {
            Log.Missing(logger);
        }
    }

    Task IHostedService.StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Whether a file of this kind goes through ffmpeg: audio always, video when Media:TranscodeVideo is on.</summary>
    public bool Wants(MediaKind kind) => Available && (kind == MediaKind.Voice || (kind == MediaKind.Video && options.Value.TranscodeVideo));

    /// <summary>
    /// Converts <paramref name="input"/> into the folder beside it, or answers null when it plays as it is.
    /// Throws a <see cref="MediaException"/> with a sentence when ffmpeg can't convert it.
    /// </summary>
    public async Task<Transcoded?> TranscodeAsync(MediaKind kind, string contentType, string input, long limit, CancellationToken cancellationToken)
    {
        // One conversion at a time: an H.264 encode takes the cores it gets and ~180 MiB, and lanes run in parallel.
        await _oneAtATime.WaitAsync(cancellationToken);
        try
        {
            return await ConvertAsync(kind, contentType, input, limit, cancellationToken);
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    private async Task<Transcoded?> ConvertAsync(MediaKind kind, string contentType, string input, long limit, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(options.Value.TranscodeTimeout, time);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        var output = Path.Combine(Path.GetDirectoryName(input)!, kind == MediaKind.Voice ? "voice.ogg" : "video.mp4");
        try
        {
            var analysis = await FFProbe.AnalyseAsync(input, Binaries, InputLimits, cancel.Token);
            if (kind == MediaKind.Voice)
            {
                if (analysis.PrimaryAudioStream is null)
                {
                    throw new MediaException("it has no sound");
                }

                await RunAsync(input, output, limit, cancel.Token, o => o
                    .WithCustomArgument("-vn -ac 1")
                    .WithAudioCodec("libopus")
                    .WithAudioBitrate(32)
                    .ForceFormat("ogg"));
                return new Transcoded(output, VoiceContentType, ".ogg");
            }

            if (contentType == "video/mp4" && PlaysAsItIs(analysis))
            {
                return null;
            }

            // The bit rate that fits the limit, with a tenth kept for the container; AAC takes 96 kbit/s of it. A file
            // that does not say how long it is (a browser's recording) gets 1 Mbit/s.
            var videoKbps = analysis.Duration > TimeSpan.Zero
                ? (int)Math.Clamp(limit * 8 * 0.9 / Math.Max(1, analysis.Duration.TotalSeconds) / 1000 - 96, 100, 4000)
                : 1000;
            await RunAsync(input, output, limit, cancel.Token, o => o
                .WithVideoCodec("libx264")
                .WithCustomArgument("-preset veryfast -pix_fmt yuv420p -vf scale=w='min(1280,trunc(iw/2)*2)':h=-2")
                .WithCustomArgument(string.Create(CultureInfo.InvariantCulture, $"-b:v {videoKbps}k -maxrate {videoKbps}k -bufsize {videoKbps * 2}k"))
                .WithAudioCodec("aac")
                .WithAudioBitrate(96)
                .WithFastStart()
                .ForceFormat("mp4"));
            return new Transcoded(output, "video/mp4", ".mp4");
        }
        catch (Exception exception) when (exception is not MediaException && !cancellationToken.IsCancellationRequested)
        {
            Log.Failed(logger, kind, exception.GetType().Name);
            throw new MediaException(deadline.IsCancellationRequested
                ? $"ffmpeg took longer than {Math.Ceiling(options.Value.TranscodeTimeout.TotalSeconds)} s"
                : "ffmpeg could not read it");
        }
    }

    /// <summary>H.264 with AAC or no sound in an MP4 (a QuickTime .mov shares the demuxer, so the content type decides that).</summary>
    private static bool PlaysAsItIs(IMediaAnalysis analysis) =>
        analysis.Format.FormatName.Split(',').Contains("mp4")
        && analysis.PrimaryVideoStream?.CodecName == "h264"
        && analysis.PrimaryAudioStream?.CodecName is null or "aac";

    private async Task RunAsync(string input, string output, long limit, CancellationToken cancellationToken, Action<FFMpegOutputOptions> outputOptions)
    {
        await FFMpegArguments
            .FromFileInput(input, verifyExists: true, o => o.WithCustomArgument(InputLimits))
            // One byte over the limit is enough to know the result is too large, and no more is written.
            .OutputToFile(output, overwrite: true, o => outputOptions(o.WithCustomArgument(string.Create(CultureInfo.InvariantCulture, $"-threads 2 -fs {limit + 1}"))))
            .CancellableThrough(cancellationToken)
            .ProcessAsynchronously(throwOnError: true, Binaries);
        if (new FileInfo(output).Length > limit)
        {
            throw new MediaException($"converted, it is larger than the {MediaPolicy.Format(limit)} allowed");
        }
    }

    /// <summary>Whether the program runs: <c>-version</c> exits 0 within 10 s.</summary>
    private static async Task<bool> AnswersAsync(string program)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(program, "-version") { RedirectStandardOutput = true, RedirectStandardError = true });
            if (process is null)
            {
                return false;
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            var drain = Task.WhenAll(process.StandardOutput.ReadToEndAsync(timeout.Token), process.StandardError.ReadToEndAsync(timeout.Token));
            await process.WaitForExitAsync(timeout.Token);
            await drain;
            return process.ExitCode == 0;
        }
        catch (Exception exception) when (exception is System.ComponentModel.Win32Exception or OperationCanceledException or InvalidOperationException)
        {
            return false;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3010, Level = LogLevel.Warning,
            Message = "ffmpeg was not found (install Debian's ffmpeg package, or set Media:FfmpegFolder): audio is sent as it is, not as voice notes, and video is not converted")]
        public static partial void Missing(ILogger logger);

        [LoggerMessage(EventId = 3011, Level = LogLevel.Warning, Message = "Converting a {Kind} file failed ({Error}); it is sent as it is")]
        public static partial void Failed(ILogger logger, MediaKind kind, string error);
    }
}

/// <summary>A converted file, its content type, and the extension its name takes.</summary>
internal sealed record Transcoded(string Path, string ContentType, string Extension);
