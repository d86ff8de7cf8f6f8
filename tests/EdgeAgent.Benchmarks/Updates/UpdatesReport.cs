using System.Globalization;

namespace EdgeAgent.Benchmarks.Updates;

/// <summary>The updates section's table and issue 7's targets. A miss is reported, never an exit code.</summary>
internal static class UpdatesReport
{
    public const double MinTransferMBps = 10;
    public const double MaxOfferToActivationMs = 2000;
    public const int MinSwaps = 100;

    public static void Print(TextWriter output, UpdatesResults results)
    {
        var (pushes, swaps) = (results.Pushes, results.Swaps);
        var invariant = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(invariant, $"== updates ({results.Cpu}, {results.Cores} cores) =="));
        output.WriteLine(string.Create(invariant, $"classifier bundle: {pushes[0].BundleBytes:N0} bytes in 64 KiB chunks, QoS 1, local mosquitto, after one untimed push"));
        output.WriteLine("version  daemon MB/s  mosquitto_pub MB/s  ours/peer  offer->activation ms");
        foreach (var push in pushes)
        {
            output.WriteLine(string.Create(invariant, $"{push.Version,7}  {push.TransferMBps,11:0.0}  {push.PeerMBps,18:0.0}  {push.TransferMBps / push.PeerMBps,9:0.00}  {push.OfferToActivationMs,20:0}"));
        }

        var transfer = Median(pushes.Select(p => p.TransferMBps));
        var peer = Median(pushes.Select(p => p.PeerMBps));
        var activation = Median(pushes.Select(p => p.OfferToActivationMs));
        var worstActivation = pushes.Max(p => p.OfferToActivationMs);
        output.WriteLine(string.Create(invariant, $" median  {transfer,11:0.0}  {peer,18:0.0}  {transfer / peer,9:0.00}  {activation,20:0}"));
        output.WriteLine(string.Create(invariant, $"swaps: {swaps.Swaps} (64x64 demo <-> 224x224 MobileNetV2-int8), activation p50 {swaps.SwapP50Ms:0.000} ms, max {swaps.SwapMaxMs:0.000} ms"));
        output.WriteLine(string.Create(invariant, $"frames: {swaps.Results:N0} results over {swaps.FramesSpanned:N0} frame indexes; {swaps.DroppedBySource:N0} replaced by the source while inference was busy (newest wins), {swaps.FramesLost} lost, {swaps.HalfSwapped} half-swapped, {swaps.Failed} failed"));

        Target(output, $"0 frames lost and 0 half-swapped across >= {MinSwaps} swaps", swaps.Swaps >= MinSwaps && swaps.FramesLost == 0 && swaps.HalfSwapped == 0 && swaps.Failed == 0,
            string.Create(invariant, $"{swaps.FramesLost} lost, {swaps.HalfSwapped} half-swapped, {swaps.Failed} failed across {swaps.Swaps} swaps"));
        Target(output, $"transfer >= {MinTransferMBps:0} MB/s to a local broker", transfer >= MinTransferMBps,
            string.Create(invariant, $"median {transfer:0.0} MB/s (range {pushes.Min(p => p.TransferMBps):0.0}-{pushes.Max(p => p.TransferMBps):0.0}) over {pushes.Count} push(es); mosquitto_pub, one message: {peer:0.0} MB/s"));
        Target(output, $"offer to activation < {MaxOfferToActivationMs / 1000:0} s for the classifier, validation included", worstActivation < MaxOfferToActivationMs,
            string.Create(invariant, $"median {activation:0} ms, worst {worstActivation:0} ms over {pushes.Count} push(es)"));
    }

    private static void Target(TextWriter output, string target, bool met, string detail) =>
        output.WriteLine($"  [{(met ? "met" : "MISSED")}] {target}: {detail}");

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
