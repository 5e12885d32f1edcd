namespace PatientJourney.IntegrationTests.Infrastructure;

/// <summary>Tests never sleep for a fixed time: they poll until a condition holds, with a deadline.</summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultDeadline = TimeSpan.FromSeconds(60);

    public static async Task HoldsAsync(Func<Task<bool>> condition, string what, TimeSpan? deadline = null)
    {
        var until = DateTime.UtcNow + (deadline ?? DefaultDeadline);
        var delay = TimeSpan.FromMilliseconds(50);
        while (true)
        {
            try
            {
                if (await condition()) return;
            }
            catch (HttpRequestException) { /* a service restarting: try again */ }
            if (DateTime.UtcNow > until) throw new TimeoutException($"'{what}' did not hold within {(deadline ?? DefaultDeadline).TotalSeconds} s");
            await Task.Delay(delay);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 500));
        }
    }
}
