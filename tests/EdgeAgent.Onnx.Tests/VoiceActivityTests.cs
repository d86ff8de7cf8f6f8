using EdgeAgent.Testing;

namespace EdgeAgent.Onnx.Tests;

/// <summary>Silero VAD v5 with its recurrent state carried from chunk to chunk (SOURCES.md, section 4).</summary>
[Collection(OrtGroup.Name)]
public sealed class VoiceActivityTests(OrtFixture ort)
{
    private const int Context = 64;
    private const int Chunk = 512;

    [Theory]
    [InlineData("speech-front-center-16k.wav", 44, 31)]
    [InlineData("noise-16k.wav", 43, 0)]
    public void Speech_chunks_match_SOURCES(string recording, int expectedChunks, int expectedSpeech)
    {
        var samples = Ffmpeg.DecodeAudio(TestPaths.Shared("audio", recording), 16000);
        using var session = ort.Open(TestPaths.Shared("silero-vad-v5.onnx"));
        var window = GC.AllocateArray<float>(Context + Chunk, pinned: true);
        var state = GC.AllocateArray<float>(2 * 128, pinned: true);
        var nextState = GC.AllocateArray<float>(2 * 128, pinned: true);
        var probability = GC.AllocateArray<float>(1, pinned: true);
        using var input = OrtTensor.Create(ort.Environment, window.AsMemory(), [1, Context + Chunk]);
        using var stateIn = OrtTensor.Create(ort.Environment, state.AsMemory(), [2, 1, 128]);
        using var rate = OrtTensor.Create(ort.Environment, new long[] { 16000 }.AsMemory(), []);
        using var output = OrtTensor.Create(ort.Environment, probability.AsMemory(), [1, 1]);
        using var stateOut = OrtTensor.Create(ort.Environment, nextState.AsMemory(), [2, 1, 128]);
        using var binding = session.CreateBinding();
        binding.BindInput("input", input);
        binding.BindInput("state", stateIn);
        binding.BindInput("sr", rate);
        binding.BindOutput("output", output);
        binding.BindOutput("stateN", stateOut);

        var chunks = samples.Length / Chunk;
        var speech = 0;
        for (var c = 0; c < chunks; c++)
        {
            window.AsSpan(Chunk, Context).CopyTo(window);
            if (c == 0)
            {
                window.AsSpan(0, Context).Clear();
            }

            samples.AsSpan(c * Chunk, Chunk).CopyTo(window.AsSpan(Context));
            binding.Run();
            nextState.CopyTo(state, 0);
            speech += probability[0] > 0.5f ? 1 : 0;
        }

        Assert.Equal(expectedChunks, chunks);
        Assert.InRange(speech, Math.Max(0, expectedSpeech - 1), expectedSpeech + 1);
    }
}
