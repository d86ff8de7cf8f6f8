using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using EdgeAgent.Onnx;

namespace EdgeAgent.Benchmarks;

/// <summary>
/// A long-lived Node process running <c>node/ort-node-peer.js</c> over onnxruntime-node, driven one JSON line at a
/// time, so its runs interleave with ours. While it runs, this process waits on the pipe and leaves it the cores.
/// </summary>
internal sealed class NodePeer : IRunSide, IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stderr = new();

    private NodePeer(Process process)
    {
        _process = process;
    }

    public string Name => "node";

    /// <summary>onnxruntime-node's version, as the package reports it.</summary>
    public string Version { get; private set; } = string.Empty;

    /// <summary>The native library onnxruntime-node loads from <paramref name="nodeModules"/> on this machine.</summary>
    public static string LibraryPath(string nodeModules) => Path.Combine(
        nodeModules, "onnxruntime-node", "bin", "napi-v6", "linux",
        RuntimeInformation.OSArchitecture == Architecture.Arm64 ? "arm64" : "x64",
        OrtLibrary.FileName);

    /// <summary>Starts the peer with <paramref name="nodeModules"/> as NODE_PATH.</summary>
    /// <exception cref="InvalidOperationException">Node did not start, or the peer failed to load onnxruntime-node.</exception>
    public static NodePeer Start(string node, string nodeModules)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "node", "ort-node-peer.js");
        var info = new ProcessStartInfo(node)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardInputEncoding = new UTF8Encoding(false),
        };
        info.ArgumentList.Add(script);
        info.Environment["NODE_PATH"] = Path.GetFullPath(nodeModules);
        Process process;
        try
        {
            process = Process.Start(info) ?? throw new InvalidOperationException($"{node} did not start");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException($"{node} did not start: {ex.Message}", ex);
        }

        var peer = new NodePeer(process);
        process.ErrorDataReceived += (_, e) =>
        {
            lock (peer._stderr)
            {
                peer._stderr.AppendLine(e.Data);
            }
        };
        process.BeginErrorReadLine();
        try
        {
            peer.Version = peer.Call(new NodeRequest("close")).Version ?? string.Empty;
        }
        catch
        {
            peer.Dispose();
            throw;
        }

        return peer;
    }

    /// <summary>
    /// Opens <paramref name="model"/> with the benchmark's session settings and feeds it copies of <paramref name="inputs"/>;
    /// returns the outputs each of its runs computes.
    /// </summary>
    public IReadOnlyList<string> Open(string model, int threads, IReadOnlyList<NodeInput> inputs) =>
        Call(new NodeRequest("open", model, threads, inputs)).Outputs ?? [];

    public void Close() => Call(new NodeRequest("close"));

    public double Warm(int minRuns, double minMs)
    {
        var samples = Call(new NodeRequest("run", Runs: minRuns, MinMs: minMs)).Samples ?? [];
        return samples.Length == 0 ? 0 : samples.Average();
    }

    public double[] Measure(int runs) => Call(new NodeRequest("run", Runs: runs, MinMs: 0)).Samples ?? [];

    public void Dispose()
    {
        try
        {
            _process.StandardInput.Close();
            if (!_process.WaitForExit(5000))
            {
                _process.Kill();
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException)
        {
        }

        _process.Dispose();
    }

    private NodeReply Call(NodeRequest request)
    {
        string? line;
        try
        {
            _process.StandardInput.WriteLine(JsonSerializer.Serialize(request, NodeJsonContext.Default.NodeRequest));
            _process.StandardInput.Flush();
            line = _process.StandardOutput.ReadLine();
        }
        catch (IOException)
        {
            line = null;
        }

        if (line is null)
        {
            _process.WaitForExit(2000);
            throw new InvalidOperationException($"the Node peer exited ({Stderr()})");
        }

        var reply = JsonSerializer.Deserialize(line, NodeJsonContext.Default.NodeReply)
            ?? throw new InvalidOperationException($"the Node peer replied '{line}'");
        return reply.Ok ? reply : throw new InvalidOperationException($"the Node peer failed '{request.Op}': {reply.Error}");
    }

    /// <summary>The peer's error in one line: Node's "Error: ..." line where it printed one, else its first line.</summary>
    private string Stderr()
    {
        lock (_stderr)
        {
            var lines = _stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            return lines.FirstOrDefault(l => l.Contains("Error:", StringComparison.Ordinal)) ?? lines.FirstOrDefault() ?? "no output on stderr";
        }
    }
}
