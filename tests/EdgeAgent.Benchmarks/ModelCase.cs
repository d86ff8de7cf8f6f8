namespace EdgeAgent.Benchmarks;

/// <summary>One row of the table: a model at a number of intra-op threads, with the input shapes and fixed values it needs.</summary>
internal sealed record ModelCase(
    string Name,
    string Path,
    int Threads,
    IReadOnlyDictionary<string, long[]> Shapes,
    IReadOnlyDictionary<string, double> Values,
    bool IsClassifier,
    bool IsOverheadProbe)
{
    /// <summary>The int8 classifier the binding-vs-bare target is checked on.</summary>
    public const string Classifier = "mobilenetv2-int8";

    /// <summary>
    /// A row per model in <paramref name="modelsDirectory"/> (by name) and thread count, then one on
    /// <paramref name="overheadModel"/> at one thread, whose run is so short that what is left is per-run overhead.
    /// </summary>
    public static IReadOnlyList<ModelCase> Discover(string modelsDirectory, IReadOnlyList<int> threads, string overheadModel)
    {
        var rows = new List<ModelCase>();
        foreach (var path in Directory.GetFiles(modelsDirectory, "*.onnx").Order(StringComparer.Ordinal))
        {
            var name = System.IO.Path.GetFileNameWithoutExtension(path);
            var (shapes, values) = InputsFor(name);
            rows.AddRange(threads.Select(t => new ModelCase(name, path, t, shapes, values, name == Classifier, false)));
        }

        rows.Add(new ModelCase(System.IO.Path.GetFileNameWithoutExtension(overheadModel), overheadModel, 1, new Dictionary<string, long[]>(), new Dictionary<string, double>(), false, true));
        return rows;
    }

    private static (Dictionary<string, long[]> Shapes, Dictionary<string, double> Values) InputsFor(string name) => name switch
    {
        // Silero's metadata leaves the chunk and state free; feed it what a 16 kHz stream does (../shared/models/SOURCES.md).
        "silero-vad-v5" => (
            new Dictionary<string, long[]> { ["input"] = [1, 576], ["state"] = [2, 1, 128], ["sr"] = [] },
            new Dictionary<string, double> { ["sr"] = 16000 }),
        _ => (new Dictionary<string, long[]>(), new Dictionary<string, double>()),
    };
}
