[assembly: System.Runtime.CompilerServices.InternalsVisibleTo("KafkaReplication")]
