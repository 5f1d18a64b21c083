using Bridge.Forwarding;

namespace Bridge.UnitTests.Forwarding;

public sealed class SendAgainTests
{
    private static DeliveryJob Job(long id, DeliveryStatus status, long? retryOf = null) =>
        new() { Id = id, ForwardId = "f", Status = status, RetryOf = retryOf };

    [Fact]
    public void Offered_FailedAndPossiblyDelivered_AreOfferedButNotDeliveredOrStillSending()
    {
        IReadOnlyList<DeliveryJob> jobs = [Job(1, DeliveryStatus.Failed), Job(2, DeliveryStatus.Unknown), Job(3, DeliveryStatus.Delivered), Job(4, DeliveryStatus.Pending)];

        Assert.Equal([1L, 2L], SendAgain.Offered(jobs).Select(j => j.Id));
    }

    [Fact]
    public void Offered_AJobAlreadySentAgain_IsOfferedOnlyThroughItsRetry()
    {
        IReadOnlyList<DeliveryJob> jobs = [Job(1, DeliveryStatus.Failed), Job(5, DeliveryStatus.Failed, retryOf: 1)];

        Assert.Equal([5L], SendAgain.Offered(jobs).Select(j => j.Id));
        Assert.Equal("f:5", SendAgain.Value("f", SendAgain.Offered(jobs)));
    }

    [Fact]
    public void Line_OfARetryAskedFromTheThread_SaysSo()
    {
        var retry = Job(5, DeliveryStatus.Delivered, retryOf: 1);
        retry.GroupName = "Drivers";
        retry.MessageIds = ["3EB0"];
        retry.RetriedBy = SendAgain.RetriedBy("Slack user U123");

        Assert.Equal("✅ Sent to WhatsApp group Drivers: message_id 3EB0 (sent again from the thread)", OutcomeText.Line(retry));
    }
}
