// The tests check Unix file modes and run beside a real mosquitto: Linux only.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
