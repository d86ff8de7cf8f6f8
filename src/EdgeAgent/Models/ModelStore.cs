using System.Globalization;

namespace EdgeAgent.Models;

/// <summary>
/// Every version of every model the device can serve: installed update bundles under the store
/// (<c>&lt;store&gt;/&lt;name&gt;/&lt;version&gt;/</c>, writable) and the package's bundled models (read-only, the first
/// known-good versions). A version in the store shadows the same bundled version.
/// </summary>
public sealed class ModelStore(string storePath, string bundledPath, int keepVersions)
{
    public string StorePath { get; } = storePath;

    /// <summary>The store of a device configured with <paramref name="options"/>: Models:StorePath, else <c>&lt;state&gt;/models</c>.</summary>
    public static ModelStore For(Configuration.AgentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var models = options.Models;
        return new ModelStore(models.StorePath ?? Path.Combine(options.Agent.StateDirectory, "models"), models.BundledPath, models.KeepVersions);
    }

    public string BundledPath { get; } = bundledPath;

    /// <summary>Where updates are received and unpacked before they are installed; removed whole after a crash.</summary>
    public string StagingPath => Path.Combine(StorePath, ".staging");

    public string? Directory(string name, int version)
    {
        var text = version.ToString(CultureInfo.InvariantCulture);
        foreach (var root in new[] { StorePath, BundledPath })
        {
            var directory = Path.Combine(root, name, text);
            if (File.Exists(Path.Combine(directory, "model.onnx")))
            {
                return directory;
            }
        }

        return null;
    }

    public bool Has(string name, int version) => version > 0 && Directory(name, version) is not null;

    /// <exception cref="InvalidDataException">The version is not there or cannot be read; the message says why.</exception>
    public ModelPackage Open(string name, int version) =>
        ModelPackage.Open(name, version, Directory(name, version) ?? throw new InvalidDataException($"model '{name}' has no version {version} in {StorePath} or {BundledPath}"));

    public int HighestBundled(string name) => Versions(BundledPath, name).DefaultIfEmpty(0).Max();

    /// <summary>
    /// The version to serve at start, and <paramref name="state"/> updated to match: a pin first, then the last
    /// committed version (never one left on probation by a crash), unless a bundled version is higher (a package
    /// upgrade), else the highest bundled version.
    /// </summary>
    /// <returns>The version, and why it was chosen when that is worth a log line.</returns>
    /// <exception cref="InvalidDataException">No version of the model exists.</exception>
    public (int Version, string? Note) Resolve(string name, ModelState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var bundled = HighestBundled(name);
        string? note = null;
        int version;
        if (state.Pinned is { } pinned && Has(name, pinned))
        {
            version = pinned;
        }
        else if (Has(name, state.Committed) && state.Committed >= bundled)
        {
            version = state.Committed;
            if (state.Active != state.Committed && state.Active > 0)
            {
                note = $"version {state.Active} was on probation when the agent stopped; serving the committed version {version}";
            }
        }
        else if (bundled > 0)
        {
            version = bundled;
            if (state.Committed > 0)
            {
                note = Has(name, state.Committed)
                    ? $"bundled version {bundled} is newer than the committed version {state.Committed} (a package upgrade) and becomes active"
                    : $"the committed version {state.Committed} is gone from {StorePath}; serving bundled version {bundled}";
            }
        }
        else
        {
            throw new InvalidDataException($"model '{name}' has no version under {Path.Combine(BundledPath, name)} or {Path.Combine(StorePath, name)} (expected <version>/model.onnx)");
        }

        if (state.Active != version && state.Active == state.Committed && Has(name, state.Active))
        {
            state.Previous = state.Active;
        }

        state.Active = version;
        state.Committed = version;
        state.ProbationSince = null;
        return (version, note);
    }

    /// <summary>Moves an unpacked, validated bundle into place as <paramref name="version"/>, replacing an older copy of it.</summary>
    public string Install(string name, int version, string unpacked)
    {
        var modelRoot = System.IO.Directory.CreateDirectory(Path.Combine(StorePath, name)).FullName;
        var target = Path.Combine(modelRoot, version.ToString(CultureInfo.InvariantCulture));
        if (System.IO.Directory.Exists(target))
        {
            System.IO.Directory.Delete(target, recursive: true);
        }

        System.IO.Directory.Move(unpacked, target);
        Interop.Libc.FsyncDirectory(modelRoot);
        Interop.Libc.FsyncDirectory(Path.GetDirectoryName(Path.GetFullPath(unpacked))!);
        return target;
    }

    /// <summary>
    /// Removes installed versions beyond the newest <c>KeepVersions</c>, never the active, previous, committed or
    /// pinned one. Bundled versions are read-only and stay.
    /// </summary>
    /// <returns>The versions removed.</returns>
    public IReadOnlyList<int> Prune(string name, ModelState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var installed = Versions(StorePath, name).OrderDescending().ToList();
        var keep = new HashSet<int> { state.Active, state.Previous, state.Committed, state.Pinned ?? 0 };
        foreach (var version in installed)
        {
            if (keep.Count(v => v > 0) >= keepVersions)
            {
                break;
            }

            keep.Add(version);
        }

        var removed = installed.Where(v => !keep.Contains(v)).ToList();
        foreach (var version in removed)
        {
            System.IO.Directory.Delete(Path.Combine(StorePath, name, version.ToString(CultureInfo.InvariantCulture)), recursive: true);
        }

        return removed;
    }

    private static IEnumerable<int> Versions(string root, string name)
    {
        var modelRoot = Path.Combine(root, name);
        return System.IO.Directory.Exists(modelRoot)
            ? System.IO.Directory.GetDirectories(modelRoot)
                .Select(d => int.TryParse(Path.GetFileName(d), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0)
                .Where(v => v > 0 && File.Exists(Path.Combine(modelRoot, v.ToString(CultureInfo.InvariantCulture), "model.onnx")))
            : [];
    }
}
