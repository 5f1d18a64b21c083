using Bridge.Storage;
using LiteDB;

namespace Bridge.UnitTests.Storage;

public sealed class AbandonedEngineTests
{
    [Fact]
    public void The_open_transactions_of_a_discarded_engine_are_found_in_the_pinned_LiteDB()
    {
        using var stream = new MemoryStream();
        using var database = new LiteDatabase(stream);
        database.GetCollection("jobs").Insert(new BsonDocument { ["_id"] = 1 });
        database.BeginTrans();
        database.GetCollection("jobs").Insert(new BsonDocument { ["_id"] = 2 });

        // One transaction left open, as after a commit that failed: found through LiteDB's private fields.
        Assert.Equal(1, AbandonedEngine.ForgetTransactions(database));
        database.Rollback();
    }
}
