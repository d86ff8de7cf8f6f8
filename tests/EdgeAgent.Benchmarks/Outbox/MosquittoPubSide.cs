using System.Diagnostics;
using System.Globalization;

namespace EdgeAgent.Benchmarks.Outbox;

/// <summary>The peer: <c>mosquitto_pub -q 1 -l</c>, the C client, reading one message per line from a prepared file.</summary>
internal sealed class MosquittoPubSide(int port, string topic, string linesFile)
{
    /// <summary>Writes <paramref name="count"/> lines of <paramref name="payload"/> (which holds no newline) for every block.</summary>
    public static string WriteLines(string directory, ReadOnlySpan<byte> payload, int count)
    {
        var path = Path.Combine(directory, "mosquitto_pub.lines");
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write);
        for (var i = 0; i < count; i++)
        {
            file.Write(payload);
            file.WriteByte((byte)'\n');
        }

        return path;
    }

    /// <summary>Publishes the file's lines and waits for the process to exit; fails with its stderr on a non-zero exit.</summary>
    public void Run(TimeSpan timeout)
    {
        var start = new ProcessStartInfo("sh") { RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "-c", "exec mosquitto_pub -h 127.0.0.1 -p \"$1\" -q 1 -t \"$2\" -l < \"$3\"", "sh", port.ToString(CultureInfo.InvariantCulture), topic, linesFile })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("mosquitto_pub did not start: ./build.sh installs mosquitto-clients");
        var errors = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill();
            process.WaitForExit();
            throw new TimeoutException($"mosquitto_pub (pid {process.Id}) ran past {timeout} and was killed");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"mosquitto_pub exited with {process.ExitCode}: {errors.Result}");
        }
    }
}
