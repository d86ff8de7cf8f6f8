using System.Globalization;
using System.Runtime.InteropServices;
using EdgeAgent.Onnx.Interop;

namespace EdgeAgent.Onnx;

/// <summary>
/// A loaded <c>libonnxruntime</c>: its function table at <see cref="OrtApiTable.MinimumApiVersion"/>,
/// its version and where it came from. The library stays loaded for the life of the process.
/// </summary>
public sealed unsafe class OrtLibrary
{
    public const string FileName = "libonnxruntime.so.1";

    private OrtLibrary(nint handle, string path, string version, OrtApiTable api)
    {
        Handle = handle;
        Path = path;
        Version = version;
        Api = api;
    }

    /// <summary>The file the library was mapped from.</summary>
    public string Path { get; }

    /// <summary>ONNX Runtime's own version string, such as "1.30.0".</summary>
    public string Version { get; }

    /// <summary>The API version asked of <c>GetApi</c>: the lowest that holds every slot the binding calls.</summary>
    public static uint ApiVersion => OrtApiTable.MinimumApiVersion;

    /// <summary>The newest API version this library offers (ONNX Runtime 1.N offers API N).</summary>
    public uint LibraryApiVersion => ParseMinor(Version);

    internal nint Handle { get; }

    internal OrtApiTable Api { get; }

    /// <summary>Where the library is looked for when no path is configured, in order.</summary>
    public static IReadOnlyList<string> DefaultCandidates { get; } =
    [
        System.IO.Path.Combine(AppContext.BaseDirectory, FileName),
        FileName,
        "libonnxruntime.so",
    ];

    /// <summary>
    /// Loads the library from <paramref name="configuredPath"/> (a file, or a directory holding
    /// <see cref="FileName"/>), or from <see cref="DefaultCandidates"/> when it is null or empty.
    /// </summary>
    /// <exception cref="OrtLibraryLoadException">No candidate loaded; the message names each and why.</exception>
    public static OrtLibrary Load(string? configuredPath = null)
    {
        var candidates = string.IsNullOrWhiteSpace(configuredPath)
            ? DefaultCandidates
            : Directory.Exists(configuredPath)
                ? [System.IO.Path.Combine(configuredPath, FileName), System.IO.Path.Combine(configuredPath, "libonnxruntime.so")]
                : [configuredPath];

        var attempts = new List<string>();
        foreach (var candidate in candidates)
        {
            if (candidate.Contains('/', StringComparison.Ordinal) && !File.Exists(candidate))
            {
                attempts.Add($"{candidate}: no such file");
                continue;
            }

            nint handle;
            try
            {
                handle = NativeLibrary.Load(candidate);
            }
            catch (Exception ex) when (ex is DllNotFoundException or BadImageFormatException)
            {
                attempts.Add($"{candidate}: {ex.Message}");
                continue;
            }

            var library = TryOpen(handle, candidate, out var problem);
            if (library is not null)
            {
                return library;
            }

            attempts.Add($"{candidate}: {problem}");
        }

        throw new OrtLibraryLoadException(attempts);
    }

    private static OrtLibrary? TryOpen(nint handle, string candidate, out string problem)
    {
        if (!NativeLibrary.TryGetExport(handle, "OrtGetApiBase", out var getApiBaseExport))
        {
            problem = "not an ONNX Runtime library (it has no OrtGetApiBase export)";
            return null;
        }

        var apiBase = ((delegate* unmanaged<void**>)getApiBaseExport)();
        var getApi = (delegate* unmanaged<uint, void**>)apiBase[0];
        var getVersionString = (delegate* unmanaged<byte*>)apiBase[1];
        var version = Marshal.PtrToStringUTF8((nint)getVersionString()) ?? "unknown";

        // GetApi prints to stderr when it refuses, so ask only a library new enough to answer.
        if (ParseMinor(version) < OrtApiTable.MinimumApiVersion)
        {
            problem = $"ONNX Runtime {version} is too old: edge-agent needs API {OrtApiTable.MinimumApiVersion} (ONNX Runtime 1.{OrtApiTable.MinimumApiVersion} or newer)";
            return null;
        }

        var table = getApi(OrtApiTable.MinimumApiVersion);
        if (table is null)
        {
            problem = $"ONNX Runtime {version} refused API version {OrtApiTable.MinimumApiVersion}";
            return null;
        }

        problem = string.Empty;
        return new OrtLibrary(handle, MappedPath(getApiBaseExport) ?? candidate, version, new OrtApiTable(table));
    }

    /// <summary>Looks up an export outside the OrtApi table, such as a provider's own append function.</summary>
    internal bool TryGetExport(string name, out nint address) => NativeLibrary.TryGetExport(Handle, name, out address);

    private static uint ParseMinor(string version)
    {
        var parts = version.Split('.');
        return parts.Length >= 2 && uint.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var minor)
            ? minor
            : 0;
    }

    /// <summary>The file mapped at <paramref name="address"/>, from /proc/self/maps, so a library found by name reports its real path.</summary>
    private static string? MappedPath(nint address)
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/maps"))
            {
                var dash = line.IndexOf('-', StringComparison.Ordinal);
                var space = line.IndexOf(' ', StringComparison.Ordinal);
                var slash = line.IndexOf('/', StringComparison.Ordinal);
                if (dash < 0 || space < dash || slash < 0)
                {
                    continue;
                }

                var start = ulong.Parse(line.AsSpan(0, dash), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                var end = ulong.Parse(line.AsSpan(dash + 1, space - dash - 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                if ((ulong)address >= start && (ulong)address < end)
                {
                    return line[slash..];
                }
            }
        }
        catch (IOException)
        {
        }

        return null;
    }
}
