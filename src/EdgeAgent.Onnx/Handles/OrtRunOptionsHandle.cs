using EdgeAgent.Onnx.Interop;

namespace EdgeAgent.Onnx.Handles;

/// <summary>Owns an OrtRunOptions, whose terminate flag stops the runs that use it.</summary>
internal sealed unsafe class OrtRunOptionsHandle(OrtApiTable api, nint pointer) : OrtHandle(api, pointer)
{
    public static OrtRunOptionsHandle Create(OrtApiTable api)
    {
        nint runOptions;
        OrtStatus.Check(api, api.CreateRunOptions(&runOptions), "CreateRunOptions");
        return new OrtRunOptionsHandle(api, runOptions);
    }

    /// <summary>Sets the terminate flag from any thread; does nothing once the options are released.</summary>
    public void TryTerminate()
    {
        var referenced = false;
        try
        {
            DangerousAddRef(ref referenced);
            OrtStatus.Check(Api, Api.RunOptionsSetTerminate(handle), "RunOptionsSetTerminate");
        }
        catch (ObjectDisposedException)
        {
        }
        finally
        {
            if (referenced)
            {
                DangerousRelease();
            }
        }
    }

    /// <summary>Clears the terminate flag, which otherwise stays set and fails every later run.</summary>
    public void ClearTerminate() => OrtStatus.Check(Api, Api.RunOptionsUnsetTerminate(handle), "RunOptionsUnsetTerminate");

    protected override bool ReleaseHandle()
    {
        Api.ReleaseRunOptions(handle);
        return true;
    }
}
