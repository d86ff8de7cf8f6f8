using EdgeAgent.Testing;

namespace EdgeAgent.Onnx.Tests;

/// <summary>One session, eight threads: the same outputs as one thread running the same inputs in turn.</summary>
[Collection(OrtGroup.Name)]
public sealed class ConcurrencyTests(OrtFixture ort)
{
    private static readonly string[] s_photos = ["coffee-espresso.png", "goldfish.jpg", "bald-eagle.jpg", "dog-bicycle-car.jpg", "cat-chelsea-tabby.png", "person-horse-dog.jpg", "astronaut-face.png", "goldfish.jpg"];

    [Fact]
    public async Task Eight_threads_on_one_session_give_the_serial_outputs()
    {
        using var session = ort.Open(TestPaths.Shared("mobilenetv2-int8.onnx"), new InferenceSessionOptions { IntraOpThreads = 1 });
        var inputs = s_photos.Select(p => ClassifierTests.Preprocess(TestPaths.Shared("images", p))).ToArray();
        var serial = inputs.Select(input => Classify(session, input)).ToArray();

        var parallel = await Task.WhenAll(inputs.Select((input, i) => Task.Run(() =>
        {
            var outputs = new List<float[]>();
            for (var repeat = 0; repeat < 20; repeat++)
            {
                outputs.Add(Classify(session, inputs[(i + repeat) % inputs.Length]));
            }

            return outputs;
        }))).WaitAsync(TimeSpan.FromMinutes(2));

        for (var thread = 0; thread < parallel.Length; thread++)
        {
            for (var repeat = 0; repeat < parallel[thread].Count; repeat++)
            {
                Assert.Equal(serial[(thread + repeat) % inputs.Length], parallel[thread][repeat]);
            }
        }
    }

    private float[] Classify(InferenceSession session, Memory<float> image) => ClassifierTests.Logits(ort.Environment, session, image);
}
