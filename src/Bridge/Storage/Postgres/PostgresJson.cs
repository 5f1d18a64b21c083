using System.Text.Json.Serialization;
using Bridge.Forwarding;

namespace Bridge.Storage.Postgres;

/// <summary>The nested values of forwards, jobs and approvals, kept as jsonb; enums by name, like the columns.</summary>
[JsonSourceGenerationOptions(UseStringEnumConverter = true)]
[JsonSerializable(typeof(List<Attachment>))]
[JsonSerializable(typeof(List<string>))]
[JsonSerializable(typeof(List<int>))]
[JsonSerializable(typeof(List<DeliveryAttempt>))]
[JsonSerializable(typeof(ReplyTarget))]
[JsonSerializable(typeof(ScheduledSend))]
[JsonSerializable(typeof(Forward))]
[JsonSerializable(typeof(List<ApprovalGroup>))]
internal sealed partial class PostgresJson : JsonSerializerContext;
