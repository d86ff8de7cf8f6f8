namespace EdgeAgent.Onnx.Interop;

/// <summary>
/// The OrtApi slots this binding calls, read once from the table <c>GetApi</c> returns.
/// Every slot returning <c>OrtStatus*</c> is typed <c>nint</c> here: zero is success.
/// </summary>
internal sealed unsafe class OrtApiTable
{
    /// <summary>
    /// The lowest API version that holds every slot in <see cref="OrtSlot"/>: the newest of them,
    /// <c>SessionOptionsAppendExecutionProvider</c> (216), came with API 12 (ONNX Runtime 1.12).
    /// Asking for no more than this lets older builds, such as a Jetson's, load too.
    /// </summary>
    public const uint MinimumApiVersion = 12;

    /// <summary>The number of slots API 12 defines (0 to 218); every <see cref="OrtSlot"/> is below it.</summary>
    public const int MinimumApiSlotCount = 219;

    public readonly delegate* unmanaged<nint, int> GetErrorCode;
    public readonly delegate* unmanaged<nint, byte*> GetErrorMessage;
    public readonly delegate* unmanaged<delegate* unmanaged<nint, int, byte*, byte*, byte*, byte*, void>, nint, int, byte*, nint*, nint> CreateEnvWithCustomLogger;
    public readonly delegate* unmanaged<nint, nint> DisableTelemetryEvents;
    public readonly delegate* unmanaged<nint, byte*, nint, nint*, nint> CreateSession;
    public readonly delegate* unmanaged<nint, void*, nuint, nint, nint*, nint> CreateSessionFromArray;
    public readonly delegate* unmanaged<nint, nint, byte**, nint*, nuint, byte**, nuint, nint*, nint> Run;
    public readonly delegate* unmanaged<nint*, nint> CreateSessionOptions;
    public readonly delegate* unmanaged<nint, byte*, nint> SetOptimizedModelFilePath;
    public readonly delegate* unmanaged<nint, int, nint> SetSessionExecutionMode;
    public readonly delegate* unmanaged<nint, nint> EnableMemPattern;
    public readonly delegate* unmanaged<nint, nint> DisableMemPattern;
    public readonly delegate* unmanaged<nint, nint> EnableCpuMemArena;
    public readonly delegate* unmanaged<nint, nint> DisableCpuMemArena;
    public readonly delegate* unmanaged<nint, int, nint> SetSessionGraphOptimizationLevel;
    public readonly delegate* unmanaged<nint, int, nint> SetIntraOpNumThreads;
    public readonly delegate* unmanaged<nint, int, nint> SetInterOpNumThreads;
    public readonly delegate* unmanaged<nint, nuint*, nint> SessionGetInputCount;
    public readonly delegate* unmanaged<nint, nuint*, nint> SessionGetOutputCount;
    public readonly delegate* unmanaged<nint, nuint, nint*, nint> SessionGetInputTypeInfo;
    public readonly delegate* unmanaged<nint, nuint, nint*, nint> SessionGetOutputTypeInfo;
    public readonly delegate* unmanaged<nint, nuint, nint, byte**, nint> SessionGetInputName;
    public readonly delegate* unmanaged<nint, nuint, nint, byte**, nint> SessionGetOutputName;
    public readonly delegate* unmanaged<nint*, nint> CreateRunOptions;
    public readonly delegate* unmanaged<nint, nint> RunOptionsSetTerminate;
    public readonly delegate* unmanaged<nint, nint> RunOptionsUnsetTerminate;
    public readonly delegate* unmanaged<nint, void*, nuint, long*, nuint, int, nint*, nint> CreateTensorWithDataAsOrtValue;
    public readonly delegate* unmanaged<nint, void**, nint> GetTensorMutableData;
    public readonly delegate* unmanaged<nint, nint*, nint> CastTypeInfoToTensorInfo;
    public readonly delegate* unmanaged<nint, int*, nint> GetOnnxTypeFromTypeInfo;
    public readonly delegate* unmanaged<nint, int*, nint> GetTensorElementType;
    public readonly delegate* unmanaged<nint, nuint*, nint> GetDimensionsCount;
    public readonly delegate* unmanaged<nint, long*, nuint, nint> GetDimensions;
    public readonly delegate* unmanaged<nint, byte**, nuint, nint> GetSymbolicDimensions;
    public readonly delegate* unmanaged<nint, nint*, nint> GetTensorTypeAndShape;
    public readonly delegate* unmanaged<int, int, nint*, nint> CreateCpuMemoryInfo;
    public readonly delegate* unmanaged<nint, void*, nint> AllocatorFree;
    public readonly delegate* unmanaged<nint*, nint> GetAllocatorWithDefaultOptions;
    public readonly delegate* unmanaged<nint, void> ReleaseEnv;
    public readonly delegate* unmanaged<nint, void> ReleaseStatus;
    public readonly delegate* unmanaged<nint, void> ReleaseMemoryInfo;
    public readonly delegate* unmanaged<nint, void> ReleaseSession;
    public readonly delegate* unmanaged<nint, void> ReleaseValue;
    public readonly delegate* unmanaged<nint, void> ReleaseRunOptions;
    public readonly delegate* unmanaged<nint, void> ReleaseTypeInfo;
    public readonly delegate* unmanaged<nint, void> ReleaseTensorTypeAndShapeInfo;
    public readonly delegate* unmanaged<nint, void> ReleaseSessionOptions;
    public readonly delegate* unmanaged<byte***, int*, nint> GetAvailableProviders;
    public readonly delegate* unmanaged<byte**, int, nint> ReleaseAvailableProviders;
    public readonly delegate* unmanaged<nint, byte*, byte*, nint> AddSessionConfigEntry;
    public readonly delegate* unmanaged<nint, nint, nint> SessionOptionsAppendExecutionProviderTensorRtV2;
    public readonly delegate* unmanaged<nint*, nint> CreateTensorRtProviderOptions;
    public readonly delegate* unmanaged<nint, byte**, byte**, nuint, nint> UpdateTensorRtProviderOptions;
    public readonly delegate* unmanaged<nint, void> ReleaseTensorRtProviderOptions;
    public readonly delegate* unmanaged<nint, nint, nint> SessionOptionsAppendExecutionProviderCudaV2;
    public readonly delegate* unmanaged<nint*, nint> CreateCudaProviderOptions;
    public readonly delegate* unmanaged<nint, byte**, byte**, nuint, nint> UpdateCudaProviderOptions;
    public readonly delegate* unmanaged<nint, void> ReleaseCudaProviderOptions;
    public readonly delegate* unmanaged<nint, byte*, byte**, byte**, nuint, nint> SessionOptionsAppendExecutionProvider;

    public OrtApiTable(void** table)
    {
        GetErrorCode = (delegate* unmanaged<nint, int>)table[(int)OrtSlot.GetErrorCode];
        GetErrorMessage = (delegate* unmanaged<nint, byte*>)table[(int)OrtSlot.GetErrorMessage];
        CreateEnvWithCustomLogger = (delegate* unmanaged<delegate* unmanaged<nint, int, byte*, byte*, byte*, byte*, void>, nint, int, byte*, nint*, nint>)table[(int)OrtSlot.CreateEnvWithCustomLogger];
        DisableTelemetryEvents = (delegate* unmanaged<nint, nint>)table[(int)OrtSlot.DisableTelemetryEvents];
        CreateSession = (delegate* unmanaged<nint, byte*, nint, nint*, nint>)table[(int)OrtSlot.CreateSession];
        CreateSessionFromArray = (delegate* unmanaged<nint, void*, nuint, nint, nint*, nint>)table[(int)OrtSlot.CreateSessionFromArray];
        Run = (delegate* unmanaged<nint, nint, byte**, nint*, nuint, byte**, nuint, nint*, nint>)table[(int)OrtSlot.Run];
        CreateSessionOptions = (delegate* unmanaged<nint*, nint>)table[(int)OrtSlot.CreateSessionOptions];
        SetOptimizedModelFilePath = (delegate* unmanaged<nint, byte*, nint>)table[(int)OrtSlot.SetOptimizedModelFilePath];
        SetSessionExecutionMode = (delegate* unmanaged<nint, int, nint>)table[(int)OrtSlot.SetSessionExecutionMode];
        EnableMemPattern = (delegate* unmanaged<nint, nint>)table[(int)OrtSlot.EnableMemPattern];
        DisableMemPattern = (delegate* unmanaged<nint, nint>)table[(int)OrtSlot.DisableMemPattern];
        EnableCpuMemArena = (delegate* unmanaged<nint, nint>)table[(int)OrtSlot.EnableCpuMemArena];
        DisableCpuMemArena = (delegate* unmanaged<nint, nint>)table[(int)OrtSlot.DisableCpuMemArena];
        SetSessionGraphOptimizationLevel = (delegate* unmanaged<nint, int, nint>)table[(int)OrtSlot.SetSessionGraphOptimizationLevel];
        SetIntraOpNumThreads = (delegate* unmanaged<nint, int, nint>)table[(int)OrtSlot.SetIntraOpNumThreads];
        SetInterOpNumThreads = (delegate* unmanaged<nint, int, nint>)table[(int)OrtSlot.SetInterOpNumThreads];
        SessionGetInputCount = (delegate* unmanaged<nint, nuint*, nint>)table[(int)OrtSlot.SessionGetInputCount];
        SessionGetOutputCount = (delegate* unmanaged<nint, nuint*, nint>)table[(int)OrtSlot.SessionGetOutputCount];
        SessionGetInputTypeInfo = (delegate* unmanaged<nint, nuint, nint*, nint>)table[(int)OrtSlot.SessionGetInputTypeInfo];
        SessionGetOutputTypeInfo = (delegate* unmanaged<nint, nuint, nint*, nint>)table[(int)OrtSlot.SessionGetOutputTypeInfo];
        SessionGetInputName = (delegate* unmanaged<nint, nuint, nint, byte**, nint>)table[(int)OrtSlot.SessionGetInputName];
        SessionGetOutputName = (delegate* unmanaged<nint, nuint, nint, byte**, nint>)table[(int)OrtSlot.SessionGetOutputName];
        CreateRunOptions = (delegate* unmanaged<nint*, nint>)table[(int)OrtSlot.CreateRunOptions];
        RunOptionsSetTerminate = (delegate* unmanaged<nint, nint>)table[(int)OrtSlot.RunOptionsSetTerminate];
        RunOptionsUnsetTerminate = (delegate* unmanaged<nint, nint>)table[(int)OrtSlot.RunOptionsUnsetTerminate];
        CreateTensorWithDataAsOrtValue = (delegate* unmanaged<nint, void*, nuint, long*, nuint, int, nint*, nint>)table[(int)OrtSlot.CreateTensorWithDataAsOrtValue];
        GetTensorMutableData = (delegate* unmanaged<nint, void**, nint>)table[(int)OrtSlot.GetTensorMutableData];
        CastTypeInfoToTensorInfo = (delegate* unmanaged<nint, nint*, nint>)table[(int)OrtSlot.CastTypeInfoToTensorInfo];
        GetOnnxTypeFromTypeInfo = (delegate* unmanaged<nint, int*, nint>)table[(int)OrtSlot.GetOnnxTypeFromTypeInfo];
        GetTensorElementType = (delegate* unmanaged<nint, int*, nint>)table[(int)OrtSlot.GetTensorElementType];
        GetDimensionsCount = (delegate* unmanaged<nint, nuint*, nint>)table[(int)OrtSlot.GetDimensionsCount];
        GetDimensions = (delegate* unmanaged<nint, long*, nuint, nint>)table[(int)OrtSlot.GetDimensions];
        GetSymbolicDimensions = (delegate* unmanaged<nint, byte**, nuint, nint>)table[(int)OrtSlot.GetSymbolicDimensions];
        GetTensorTypeAndShape = (delegate* unmanaged<nint, nint*, nint>)table[(int)OrtSlot.GetTensorTypeAndShape];
        CreateCpuMemoryInfo = (delegate* unmanaged<int, int, nint*, nint>)table[(int)OrtSlot.CreateCpuMemoryInfo];
        AllocatorFree = (delegate* unmanaged<nint, void*, nint>)table[(int)OrtSlot.AllocatorFree];
        GetAllocatorWithDefaultOptions = (delegate* unmanaged<nint*, nint>)table[(int)OrtSlot.GetAllocatorWithDefaultOptions];
        ReleaseEnv = (delegate* unmanaged<nint, void>)table[(int)OrtSlot.ReleaseEnv];
        ReleaseStatus = (delegate* unmanaged<nint, void>)table[(int)OrtSlot.ReleaseStatus];
        ReleaseMemoryInfo = (delegate* unmanaged<nint, void>)table[(int)OrtSlot.ReleaseMemoryInfo];
        ReleaseSession = (delegate* unmanaged<nint, void>)table[(int)OrtSlot.ReleaseSession];
        ReleaseValue = (delegate* unmanaged<nint, void>)table[(int)OrtSlot.ReleaseValue];
        ReleaseRunOptions = (delegate* unmanaged<nint, void>)table[(int)OrtSlot.ReleaseRunOptions];
        ReleaseTypeInfo = (delegate* unmanaged<nint, void>)table[(int)OrtSlot.ReleaseTypeInfo];
        ReleaseTensorTypeAndShapeInfo = (delegate* unmanaged<nint, void>)table[(int)OrtSlot.ReleaseTensorTypeAndShapeInfo];
        ReleaseSessionOptions = (delegate* unmanaged<nint, void>)table[(int)OrtSlot.ReleaseSessionOptions];
        GetAvailableProviders = (delegate* unmanaged<byte***, int*, nint>)table[(int)OrtSlot.GetAvailableProviders];
        ReleaseAvailableProviders = (delegate* unmanaged<byte**, int, nint>)table[(int)OrtSlot.ReleaseAvailableProviders];
        AddSessionConfigEntry = (delegate* unmanaged<nint, byte*, byte*, nint>)table[(int)OrtSlot.AddSessionConfigEntry];
        SessionOptionsAppendExecutionProviderTensorRtV2 = (delegate* unmanaged<nint, nint, nint>)table[(int)OrtSlot.SessionOptionsAppendExecutionProviderTensorRtV2];
        CreateTensorRtProviderOptions = (delegate* unmanaged<nint*, nint>)table[(int)OrtSlot.CreateTensorRtProviderOptions];
        UpdateTensorRtProviderOptions = (delegate* unmanaged<nint, byte**, byte**, nuint, nint>)table[(int)OrtSlot.UpdateTensorRtProviderOptions];
        ReleaseTensorRtProviderOptions = (delegate* unmanaged<nint, void>)table[(int)OrtSlot.ReleaseTensorRtProviderOptions];
        SessionOptionsAppendExecutionProviderCudaV2 = (delegate* unmanaged<nint, nint, nint>)table[(int)OrtSlot.SessionOptionsAppendExecutionProviderCudaV2];
        CreateCudaProviderOptions = (delegate* unmanaged<nint*, nint>)table[(int)OrtSlot.CreateCudaProviderOptions];
        UpdateCudaProviderOptions = (delegate* unmanaged<nint, byte**, byte**, nuint, nint>)table[(int)OrtSlot.UpdateCudaProviderOptions];
        ReleaseCudaProviderOptions = (delegate* unmanaged<nint, void>)table[(int)OrtSlot.ReleaseCudaProviderOptions];
        SessionOptionsAppendExecutionProvider = (delegate* unmanaged<nint, byte*, byte**, byte**, nuint, nint>)table[(int)OrtSlot.SessionOptionsAppendExecutionProvider];
    }
}
