// Key files are created with their Unix mode from the start; edgectl runs on Linux and macOS laptops, not Windows.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
[assembly: System.Runtime.Versioning.SupportedOSPlatform("macos")]
