namespace EdgeAgent.Sensors.Sysfs;

public enum SysfsFormat
{
    /// <summary>One decimal number.</summary>
    Number,

    /// <summary>1-Wire's <c>w1_slave</c>: a CRC line ending in YES or NO, then a line ending in <c>t=</c> millidegrees.</summary>
    W1Slave,
}
