namespace EdgeAgent.Tests.Outbox;

/// <summary>What a subscriber must see of one stream after any fault: every seq, and in order once duplicates are set aside.</summary>
internal static class SeqOrder
{
    /// <summary>
    /// Every seq from 1 to <paramref name="highest"/> arrived at least once and none above it, and the first arrival
    /// of each came after the first arrival of the one before: QoS 1 may repeat a record, never reorder or lose one.
    /// </summary>
    public static void AssertCompleteAndRising(string stream, IReadOnlyList<long> arrivals, long highest)
    {
        var seen = new HashSet<long>();
        var firstArrivals = new List<long>();
        foreach (var seq in arrivals)
        {
            if (seen.Add(seq))
            {
                firstArrivals.Add(seq);
            }
        }

        var missing = Enumerable.Range(1, (int)highest).Select(i => (long)i).Where(seq => !seen.Contains(seq)).ToList();
        Assert.True(missing.Count == 0, $"{stream}: {missing.Count} seq(s) never arrived, the first {string.Join(", ", missing.Take(10))}");
        var extra = seen.Where(seq => seq < 1 || seq > highest).Order().ToList();
        Assert.True(extra.Count == 0, $"{stream}: seq(s) outside 1..{highest} arrived: {string.Join(", ", extra.Take(10))}");
        var backwards = Enumerable.Range(1, firstArrivals.Count - 1).FirstOrDefault(i => firstArrivals[i] < firstArrivals[i - 1]);
        Assert.True(backwards == 0, $"{stream}: seq {(backwards > 0 ? firstArrivals[backwards] : 0)} first arrived after seq {(backwards > 0 ? firstArrivals[backwards - 1] : 0)}");
    }
}
