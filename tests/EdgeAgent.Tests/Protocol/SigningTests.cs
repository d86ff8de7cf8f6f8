using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeAgent.Protocol;
using EdgeAgent.Testing;

namespace EdgeAgent.Tests.Protocol;

/// <summary>RFC 8785 canonical bytes and ECDSA P-256 signatures, against the committed test vectors.</summary>
public sealed class SigningTests
{
    private static readonly string s_vectors = Path.Combine(TestPaths.RepositoryRoot, "tests", "vectors", "signing");

    [Fact]
    public void The_committed_manifest_canonicalises_to_the_committed_bytes()
    {
        var manifest = LoadManifest();

        Assert.Equal(File.ReadAllBytes(Path.Combine(s_vectors, "manifest.canonical.json")), ManifestSigning.SignedBytes(manifest));
    }

    [Fact]
    public void The_committed_signature_verifies_with_the_committed_public_key_and_its_key_id()
    {
        var manifest = LoadManifest();
        using var publicKey = SigningKeys.Load(Path.Combine(s_vectors, "ops.pub"));
        var keyId = File.ReadAllText(Path.Combine(s_vectors, "key_id.txt")).Trim();

        Assert.True(ManifestSigning.Verify(manifest, publicKey));
        Assert.Equal(keyId, ManifestSigning.KeyId(publicKey));
        Assert.Equal(keyId, manifest["key_id"]!.GetValue<string>());
        using var privateKey = SigningKeys.Load(Path.Combine(s_vectors, "ops.key"));
        Assert.Equal(keyId, ManifestSigning.KeyId(privateKey));
    }

    [Theory]
    [InlineData("size", "3655034")]
    [InlineData("update_id", "\"another\"")]
    [InlineData("key_id", "\"0000\"")]
    [InlineData("signature", "\"AAAA\"")]
    [InlineData("signature", "\"not base64!\"")]
    public void Any_change_breaks_the_signature(string member, string json)
    {
        var manifest = LoadManifest();
        manifest[member] = JsonNode.Parse(json);
        using var publicKey = SigningKeys.Load(Path.Combine(s_vectors, "ops.pub"));

        Assert.False(ManifestSigning.Verify(manifest, publicKey));
    }

    [Fact]
    public void Member_order_and_whitespace_do_not_change_the_signed_bytes()
    {
        var manifest = LoadManifest();
        var reordered = new JsonObject(manifest.Reverse().Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone())));
        using var publicKey = SigningKeys.Load(Path.Combine(s_vectors, "ops.pub"));

        Assert.True(ManifestSigning.Verify(reordered, publicKey));
    }

    [Fact]
    public void A_signature_by_another_key_does_not_verify()
    {
        var manifest = LoadManifest();
        using var other = SigningKeys.Generate();
        ManifestSigning.Sign(manifest, other);
        using var publicKey = SigningKeys.Load(Path.Combine(s_vectors, "ops.pub"));

        Assert.False(ManifestSigning.Verify(manifest, publicKey));
        Assert.True(ManifestSigning.Verify(manifest, other));
    }

    [Fact]
    public void Keys_round_trip_through_their_pem_files()
    {
        using var key = SigningKeys.Generate();
        var directory = Directory.CreateTempSubdirectory("edge-agent-keys-");
        try
        {
            File.WriteAllText(Path.Combine(directory.FullName, "k.key"), SigningKeys.PrivatePem(key));
            File.WriteAllText(Path.Combine(directory.FullName, "k.pub"), SigningKeys.PublicPem(key));
            using var loadedPrivate = SigningKeys.Load(Path.Combine(directory.FullName, "k.key"));
            using var loadedPublic = SigningKeys.Load(Path.Combine(directory.FullName, "k.pub"));

            Assert.Equal(ManifestSigning.KeyId(key), ManifestSigning.KeyId(loadedPublic));
            Assert.Equal(ManifestSigning.KeyId(key), ManifestSigning.KeyId(loadedPrivate));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_file_without_a_key_or_with_another_curve_is_refused_naming_it()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "not a key");
            Assert.Contains(file, Assert.ThrowsAny<CryptographicException>(() => SigningKeys.Load(file)).Message, StringComparison.Ordinal);

            using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
            File.WriteAllText(file, p384.ExportSubjectPublicKeyInfoPem());
            Assert.Contains("P-256", Assert.ThrowsAny<CryptographicException>(() => SigningKeys.Load(file)).Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void The_rfc_8785_example_canonicalises_as_the_rfc_prints_it()
    {
        const string input = """{"numbers":[333333333.33333329,1E30,4.50,2e-3,0.000000000000000000000000001],"string":"\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/","literals":[null,true,false]}""";
        const string expected = """{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}""";

        Assert.Equal(expected, Encoding.UTF8.GetString(CanonicalJson.Canonicalize(Encoding.UTF8.GetBytes(input))));
    }

    [Theory]
    [InlineData(0.0, "0")]
    [InlineData(1.0, "1")]
    [InlineData(-1.5, "-1.5")]
    [InlineData(100.0, "100")]
    [InlineData(1e21, "1e+21")]
    [InlineData(1e20, "100000000000000000000")]
    [InlineData(0.000001, "0.000001")]
    [InlineData(1e-7, "1e-7")]
    [InlineData(123456789012345680000.0, "123456789012345680000")]
    [InlineData(5e-324, "5e-324")]
    [InlineData(1.7976931348623157e308, "1.7976931348623157e+308")]
    [InlineData(0.1, "0.1")]
    public void Numbers_print_as_ecmascript_prints_them(double value, string expected)
    {
        Assert.Equal(expected, CanonicalJson.FormatNumber(value));
    }

    [Fact]
    public void Keys_sort_by_utf16_code_units()
    {
        // RFC 8785 section 3.2.3: sorting is by UTF-16 code units, so U+1F600 (a surrogate pair) sorts before U+FB33.
        const string input = """{"\ufb33":1,"\ud83d\ude00":2,"a":3,"A":4,"\u00e9":5}""";

        var canonical = Encoding.UTF8.GetString(CanonicalJson.Canonicalize(Encoding.UTF8.GetBytes(input)));

        Assert.Equal("{\"A\":4,\"a\":3,\"é\":5,\"😀\":2,\"\ufb33\":1}", canonical);
    }

    [Fact]
    public void The_committed_manifest_reads_as_an_update_manifest()
    {
        var manifest = JsonSerializer.Deserialize(File.ReadAllBytes(Path.Combine(s_vectors, "manifest.json")), ProtocolJsonContext.Default.UpdateManifest)!;

        Assert.Equal("kitchen", manifest.Target.Group);
        Assert.Null(manifest.Target.Device);
        Assert.Equal(4, manifest.Model.Version);
        Assert.Equal(56, manifest.ChunkCount);
        Assert.Equal(65536, manifest.ChunkSize);
    }

    [Fact]
    public void Topics_follow_the_contract()
    {
        var topics = new Topics("edge");

        Assert.Equal("edge/pi-01/results/cam0", topics.Results("pi-01", "cam0"));
        Assert.Equal("edge/pi-01/cmd/model/chunk/u1/7", topics.Chunk("pi-01", "u1", 7));
        Assert.Equal("edge/group/kitchen/cmd/model/offer", topics.GroupOffer("kitchen"));
        Assert.Equal("edge/pi-01/status", topics.Status("pi-01"));
    }

    private static JsonObject LoadManifest() => JsonNode.Parse(File.ReadAllText(Path.Combine(s_vectors, "manifest.json")))!.AsObject();
}
