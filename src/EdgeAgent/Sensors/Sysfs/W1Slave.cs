namespace EdgeAgent.Sensors.Sysfs;

/// <summary>The w1_slave format of the w1_therm driver: <c>"72 01 4b 46 7f ff 0e 10 57 : crc=57 YES\n72 01 ... t=23125"</c>.</summary>
public static class W1Slave
{
    /// <summary>The reading in millidegrees; a failed CRC (NO) or a missing <c>t=</c> is an invalid sample.</summary>
    public static double ParseMillidegrees(ReadOnlySpan<byte> text, string path)
    {
        var newline = text.IndexOf((byte)'\n');
        var crcLine = newline < 0 ? text : text[..newline];
        if (!crcLine.TrimEnd(" \r"u8).EndsWith("YES"u8))
        {
            throw new SensorValueException($"{path}: the CRC check failed ('{SysfsFile.Show(crcLine)}')");
        }

        var t = newline < 0 ? -1 : text.LastIndexOf("t="u8);
        if (t < 0)
        {
            throw new SensorValueException($"{path} holds no t= reading ('{SysfsFile.Show(text)}')");
        }

        return SysfsFile.ParseNumber(text[(t + 2)..], path);
    }
}
