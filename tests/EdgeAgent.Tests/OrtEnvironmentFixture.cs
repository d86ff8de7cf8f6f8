using EdgeAgent.Onnx;

namespace EdgeAgent.Tests;

/// <summary>The test process's one ONNX Runtime environment over the pinned library.</summary>
public sealed class OrtEnvironmentFixture : IDisposable
{
    public OrtEnvironment Environment { get; } = OrtEnvironment.Create(OrtLibrary.Load());

    public void Dispose() => Environment.Dispose();
}

[CollectionDefinition(Name)]
public sealed class OrtEnvironmentGroup : ICollectionFixture<OrtEnvironmentFixture>
{
    public const string Name = "ONNX Runtime environment";
}
