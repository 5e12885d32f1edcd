using System.Collections.Concurrent;
using PatientJourney.StoreAndBus.EventStore;

namespace PatientJourney.UnitTests;

public class GroupCommitTests
{
    /// <summary>A batch writer that records which writes it was handed, answers them, and can fail before or after.</summary>
    private sealed class Writer
    {
        public ConcurrentQueue<int[]> Calls { get; } = new();
        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public Func<IReadOnlyList<PendingWrite<int, int>>, bool> FailBeforeAnswering { get; init; } = _ => false;
        public bool FailAfterAnswering { get; init; }

        public async Task WriteAsync(IReadOnlyList<PendingWrite<int, int>> batch, CancellationToken ct)
        {
            Calls.Enqueue(batch.Select(p => p.Item).ToArray());
            await Release.Task; // lets the test queue several writes so that they form one batch
            if (FailBeforeAnswering(batch)) throw new InvalidOperationException("the transaction did not commit");
            foreach (var pending in batch) pending.Outcome.TrySetResult(pending.Item * 10);
            if (FailAfterAnswering) throw new InvalidOperationException("something after the commit");
        }
    }

    /// <summary>The first write occupies the writer; the five queued behind it are then taken as one batch.</summary>
    private static async Task<(Task<int> First, Dictionary<int, Task<int>> Queued)> SubmitTogetherAsync(Writer writer, GroupCommit<int, int> commits)
    {
        var first = commits.SubmitAsync(0, CancellationToken.None);
        while (writer.Calls.IsEmpty) await Task.Delay(1);
        var rest = Enumerable.Range(1, 5).ToDictionary(i => i, i => commits.SubmitAsync(i, CancellationToken.None));
        writer.Release.TrySetResult();
        return (first, rest);
    }

    [Theory]
    [InlineData(0, 256)]
    [InlineData(-1, 256)]
    [InlineData(2, 0)]
    public void A_setting_of_no_writers_or_empty_batches_is_refused_at_construction(int writers, int maxBatch)
    {
        var writer = new Writer();
        Assert.Throws<ArgumentOutOfRangeException>(() => new GroupCommit<int, int>(writer.WriteAsync, _ => "p", maxBatch, writers));
    }

    [Fact]
    public async Task Writes_that_were_answered_before_the_batch_failed_are_never_written_again()
    {
        var writer = new Writer { FailAfterAnswering = true };
        await using var commits = new GroupCommit<int, int>(writer.WriteAsync, _ => "one patient", writers: 1);

        var (first, rest) = await SubmitTogetherAsync(writer, commits);
        var answers = await Task.WhenAll([first, .. rest.Values]).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal([0, 10, 20, 30, 40, 50], answers);
        // The lone first write, then the five queued behind it as one batch: nothing handed over twice.
        Assert.Equal([[0], [1, 2, 3, 4, 5]], writer.Calls.ToArray());
    }

    [Fact]
    public async Task A_batch_that_did_not_commit_has_each_of_its_writes_tried_alone_so_one_bad_write_sinks_only_itself()
    {
        var writer = new Writer { FailBeforeAnswering = batch => batch.Any(p => p.Item == 3) };
        await using var commits = new GroupCommit<int, int>(writer.WriteAsync, _ => "one patient", writers: 1);

        var (first, rest) = await SubmitTogetherAsync(writer, commits);

        Assert.Equal(0, await first);
        await Assert.ThrowsAsync<InvalidOperationException>(() => rest[3].WaitAsync(TimeSpan.FromSeconds(10)));
        foreach (var i in new[] { 1, 2, 4, 5 }) Assert.Equal(i * 10, await rest[i].WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal([[0], [1, 2, 3, 4, 5], [1], [2], [3], [4], [5]], writer.Calls.ToArray());
    }
}
