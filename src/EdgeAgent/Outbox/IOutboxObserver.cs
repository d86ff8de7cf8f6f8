namespace EdgeAgent.Outbox;

/// <summary>Hears what the outbox had to give up or repair (the outbox_full, outbox_corrupt and disk_full events).</summary>
public interface IOutboxObserver
{
    void RecordsDropped(long records, string reason);

    void CorruptionFound(string segment, long bytes);

    void DiskFull(string reason);
}
