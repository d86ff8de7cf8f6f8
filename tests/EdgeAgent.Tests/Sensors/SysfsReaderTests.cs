using EdgeAgent.Sensors;
using EdgeAgent.Sensors.Sysfs;

namespace EdgeAgent.Tests.Sensors;

/// <summary>Each sysfs kind against a tree laid out as the kernel's ABI documents describe it.</summary>
public sealed class SysfsReaderTests : IDisposable
{
    private readonly SysfsTree _tree = new();

    [Fact]
    public void Iio_channels_apply_their_own_or_the_shared_scale_and_offset_of_the_device_chosen_by_name()
    {
        _tree.Write("bus/iio/devices/iio:device0/name", "ads1015");
        _tree.Write("bus/iio/devices/iio:device0/in_voltage0_raw", "999");
        const string accel = "bus/iio/devices/iio:device1/";
        _tree.Write(accel + "name", "lsm6dsl");
        _tree.Write(accel + "in_accel_x_raw", "-1024");
        _tree.Write(accel + "in_accel_y_raw", "512");
        _tree.Write(accel + "in_accel_scale", "0.000598");
        _tree.Write(accel + "in_accel_y_scale", "0.001");
        _tree.Write(accel + "in_temp_raw", "300");
        _tree.Write(accel + "in_temp_offset", "6400");
        _tree.Write(accel + "in_temp_scale", "3.90625");

        var values = Read(SysfsLocator.Iio(_tree.Root, "lsm6dsl", ["accel_x", "accel_y", "temp"]));

        Assert.Equal(-1024 * 0.000598, values[0], 5);
        Assert.Equal(0.512, values[1], 5);
        // The kernel's rule: (raw + offset) x scale, here millidegrees Celsius.
        Assert.Equal((300 + 6400) * 3.90625, values[2], 2);
    }

    [Fact]
    public void An_iio_device_or_channel_that_is_not_there_is_named_with_what_is_there()
    {
        _tree.Write("bus/iio/devices/iio:device0/name", "ads1015");
        _tree.Write("bus/iio/devices/iio:device0/in_voltage0_raw", "1");

        var device = Assert.Throws<SensorUnavailableException>(() => SysfsLocator.Iio(_tree.Root, "bme280", ["temp"]));
        Assert.Contains("no IIO device with name 'bme280'", device.Message, StringComparison.Ordinal);
        Assert.Contains("found: ads1015", device.Message, StringComparison.Ordinal);
        var channel = Assert.Throws<SensorUnavailableException>(() => SysfsLocator.Iio(_tree.Root, "ads1015", ["voltage3"]));
        Assert.Contains("no channel 'voltage3'", channel.Message, StringComparison.Ordinal);
        Assert.Contains("it has: voltage0", channel.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Hwmon_channels_are_found_by_chip_name_and_label_and_converted_from_milli_units()
    {
        _tree.Write("class/hwmon/hwmon0/name", "acpitz");
        _tree.Write("class/hwmon/hwmon0/temp1_input", "99000");
        const string chip = "class/hwmon/hwmon3/";
        _tree.Write(chip + "name", "coretemp");
        _tree.Write(chip + "temp1_label", "Package id 0");
        _tree.Write(chip + "temp1_input", "48500");
        _tree.Write(chip + "temp2_label", "Core 0");
        _tree.Write(chip + "temp2_input", "-5250");
        _tree.Write(chip + "in0_input", "1210");
        _tree.Write(chip + "power1_input", "2500000");

        var values = Read(SysfsLocator.Hwmon(_tree.Root, "coretemp", ["Core 0", "Package id 0", "in0", "power1"]));

        Assert.Equal([-5.25f, 48.5f, 1.21f, 2.5f], values);
    }

    [Fact]
    public void Thermal_zones_are_found_by_type_and_read_in_millidegrees()
    {
        _tree.Write("class/thermal/thermal_zone0/type", "acpitz");
        _tree.Write("class/thermal/thermal_zone0/temp", "27800");
        _tree.Write("class/thermal/thermal_zone1/type", "cpu-thermal");
        _tree.Write("class/thermal/thermal_zone1/temp", "51540");

        Assert.Equal([51.54f, 27.8f], Read(SysfsLocator.Thermal(_tree.Root, ["cpu-thermal", "acpitz"])));
    }

    [Fact]
    public void One_wire_thermometers_are_read_from_temperature_or_from_w1_slave()
    {
        _tree.Write("bus/w1/devices/28-0316a2794aff/temperature", "21062");
        _tree.Write("bus/w1/devices/28-000005e2fdc3/w1_slave", "72 01 4b 46 7f ff 0e 10 57 : crc=57 YES\n72 01 4b 46 7f ff 0e 10 57 t=23125");

        Assert.Equal([21.062f, 23.125f], Read(SysfsLocator.W1(_tree.Root, ["28-0316a2794aff", "28-000005e2fdc3"])));
    }

    [Fact]
    public void A_failed_crc_or_a_value_that_is_not_a_number_is_an_invalid_sample_naming_the_file()
    {
        var slave = _tree.Write("bus/w1/devices/28-000005e2fdc3/w1_slave", "72 01 4b 46 7f ff 0e 10 57 : crc=12 NO\n72 01 4b 46 7f ff 0e 10 57 t=23125");
        _tree.Write("class/thermal/thermal_zone0/type", "cpu-thermal");
        var temp = _tree.Write("class/thermal/thermal_zone0/temp", "N/A");

        var crc = Assert.Throws<SensorValueException>(() => Read(SysfsLocator.W1(_tree.Root, ["28-000005e2fdc3"])));
        Assert.Contains(slave, crc.Message, StringComparison.Ordinal);
        Assert.Contains("CRC check failed", crc.Message, StringComparison.Ordinal);
        var text = Assert.Throws<SensorValueException>(() => Read(SysfsLocator.Thermal(_tree.Root, ["cpu-thermal"])));
        Assert.Equal($"{temp} holds 'N/A', not a number", text.Message);
    }

    [Fact]
    public void The_same_open_file_is_read_again_for_each_sample()
    {
        _tree.Write("class/thermal/thermal_zone0/type", "cpu-thermal");
        var temp = _tree.Write("class/thermal/thermal_zone0/temp", "40000");
        using var reader = new SysfsReader("thermal", 1, () => SysfsLocator.Thermal(_tree.Root, ["cpu-thermal"]), TimeProvider.System);
        reader.Open();
        var values = new float[1];
        reader.Read(0, values);
        Assert.Equal(40f, values[0]);

        File.WriteAllText(temp, "41500\n");
        reader.Read(1, values);
        Assert.Equal(41.5f, values[0]);
    }

    public void Dispose() => _tree.Dispose();

    private static float[] Read(IReadOnlyList<SysfsChannel> channels)
    {
        using var reader = new SysfsReader("test", channels.Count, () => channels, TimeProvider.System);
        reader.Open();
        var values = new float[channels.Count];
        reader.Read(0, values);
        return values;
    }
}
