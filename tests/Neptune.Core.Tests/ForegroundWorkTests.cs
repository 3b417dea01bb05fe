using Neptune.Core;

namespace Neptune.Core.Tests;

public sealed class ForegroundWorkTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Waiting_while_idle_returns_at_once()
    {
        var work = new ForegroundWork();

        var wait = work.WaitIdleAsync(TimeSpan.FromHours(1), Ct);

        Assert.True(wait.IsCompletedSuccessfully);
        Assert.False(work.IsActive);
        await wait;
    }

    [Fact]
    public async Task A_wait_ends_when_the_last_piece_of_interactive_work_does()
    {
        var work = new ForegroundWork();
        var first = work.Enter();
        var second = work.Enter();

        var wait = work.WaitIdleAsync(TimeSpan.FromHours(1), Ct);
        first.Dispose();
        first.Dispose();  // once only: the second piece is still in flight
        await Task.Delay(50, Ct);
        Assert.False(wait.IsCompleted);
        Assert.True(work.IsActive);

        second.Dispose();
        await wait.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.False(work.IsActive);
    }

    [Fact]
    public async Task A_wait_gives_up_after_its_limit_while_work_goes_on()
    {
        var work = new ForegroundWork();
        using var busy = work.Enter();

        await work.WaitIdleAsync(TimeSpan.FromMilliseconds(20), Ct).WaitAsync(TimeSpan.FromSeconds(10), Ct);

        Assert.True(work.IsActive);
    }

    [Fact]
    public void Each_start_of_interactive_work_is_announced()
    {
        var work = new ForegroundWork();
        var announced = 0;
        work.Entered += () => announced++;

        using (work.Enter())
        using (work.Enter())
        {
        }

        Assert.Equal(2, announced);
    }
}
