namespace Neptune.Data.Tests;

public sealed class JobSignalTests
{
    [Fact]
    public async Task A_pulse_after_reading_next_completes_it()
    {
        var signal = new JobSignal();
        var next = signal.Next;

        signal.Pulse();

        await JobSignal.WaitAsync(next, TimeSpan.FromMinutes(10), TimeProvider.System, TestContext.Current.CancellationToken);
        Assert.True(next.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task A_pulse_before_reading_next_does_not_wake_the_next_wait()
    {
        var signal = new JobSignal();
        signal.Pulse();
        var next = signal.Next;

        await JobSignal.WaitAsync(next, TimeSpan.FromMilliseconds(50), TimeProvider.System, TestContext.Current.CancellationToken);

        Assert.False(next.IsCompleted);
    }

    [Fact]
    public async Task A_committed_write_pulses_the_signal()
    {
        await using var store = await StoreFixture.CreateAsync();
        var signal = store.Get<JobSignal>();
        var next = signal.Next;

        await store.Notes.CreateAsync(UserId.Local, new NewNote(null, "Queued", "an index job goes with this note"), TestContext.Current.CancellationToken);

        Assert.True(next.IsCompleted);
    }
}
