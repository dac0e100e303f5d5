namespace KafkaReplication.Engine.Model;

/// <summary>What Wait-ReplicationFlow waits for: every Strimzi object Ready, or no source partition lagging.</summary>
public enum FlowCondition { Ready, CaughtUp }

/// <summary>Which cluster of a flow: where it replicates from, or to.</summary>
public enum ClusterSide { Source, Target }
