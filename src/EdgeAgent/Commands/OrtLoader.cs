using EdgeAgent.Onnx;
using Microsoft.Extensions.Logging;

namespace EdgeAgent.Commands;

/// <summary>Loads the library and creates the environment for a verb, turning a missing library into a usage error.</summary>
internal static class OrtLoader
{
    public static OrtEnvironment Open(string? libraryPath, OrtLogLevel logLevel, ILoggerFactory loggerFactory, string setting = "--library")
    {
        OrtLibrary library;
        try
        {
            library = OrtLibrary.Load(libraryPath);
        }
        catch (OrtLibraryLoadException ex)
        {
            throw new UsageException(libraryPath is null ? ex.Message : $"{setting} {libraryPath}: {ex.Message}");
        }

        return OrtEnvironment.Create(library, logLevel, loggerFactory);
    }
}
