namespace EdgeAgent.Onnx;

/// <summary>Which execution provider a session runs on, and why the ones asked for before it are not used.</summary>
/// <param name="Requested">The providers asked for, in order.</param>
/// <param name="Available">What the library lists (ONNX Runtime's names).</param>
/// <param name="Chosen">The provider the session runs on first: the first requested that worked, else "cpu".</param>
/// <param name="Appended">Every provider appended to the session, in priority order; nodes the first cannot run fall to the next, and finally to CPU.</param>
/// <param name="Failures">Each requested provider that could not be used, with ONNX Runtime's reason.</param>
public sealed record ProviderSelection(
    IReadOnlyList<string> Requested,
    IReadOnlyList<string> Available,
    string Chosen,
    IReadOnlyList<string> Appended,
    IReadOnlyList<ProviderFailure> Failures);

/// <summary>A provider that was asked for but is not used, and why.</summary>
public sealed record ProviderFailure(string Provider, string Reason);
