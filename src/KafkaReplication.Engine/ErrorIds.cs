using System.ComponentModel;
using System.Reflection;

namespace KafkaReplication.Engine;

/// <summary>
/// Every error id the module reports, in one place, with what it means (docs/errors.md is checked against it).
/// Scripts and tests match on these ids: never rename one. A test fails when a cmdlet reports an id that is not here.
/// </summary>
public static class ErrorIds
{
    [Description("-Bidirectional with a replication policy other than Identity.")] public const string BidirectionalRequiresIdentity = nameof(BidirectionalRequiresIdentity);
    [Description("The CA certificate file does not exist.")] public const string CaCertificateNotFound = nameof(CaCertificateNotFound);
    [Description("The CA certificate file is not PEM.")] public const string CaCertificateNotPem = nameof(CaCertificateNotPem);
    [Description("A resume point of 0 on a connector that starts new partitions at the latest offset.")] public const string CannotResumeAtZero = nameof(CannotResumeAtZero);
    [Description("A MirrorMaker 2 checkpoint record could not be decoded.")] public const string CheckpointUnreadable = nameof(CheckpointUnreadable);
    [Description("A change needs confirmation, and the host cannot ask (non-interactive): use -Confirm:$false or -Force.")] public const string ConfirmationUnavailable = nameof(ConfirmationUnavailable);
    [Description("Kafka Connect refused a request (HTTP 400).")] public const string ConnectBadRequest = nameof(ConnectBadRequest);
    [Description("-ConnectCaCertificatePath is not a readable PEM CA certificate.")] public const string ConnectCaCertificateInvalid = nameof(ConnectCaCertificateInvalid);
    [Description("-ConnectCaCertificatePath with an http -ConnectUri.")] public const string ConnectCaNeedsHttps = nameof(ConnectCaNeedsHttps);
    [Description("Connect credentials would be sent over plain http to another machine.")] public const string ConnectCredentialNeedsHttps = nameof(ConnectCredentialNeedsHttps);
    [Description("Kafka Connect answered with an error not listed here.")] public const string ConnectError = nameof(ConnectError);
    [Description("Kafka Connect (or the ingress in front of it) refused the request (HTTP 403).")] public const string ConnectForbidden = nameof(ConnectForbidden);
    [Description("Kafka Connect answered with a body that is not the expected JSON.")] public const string ConnectMalformedResponse = nameof(ConnectMalformedResponse);
    [Description("No ready pod of the flow's Kafka Connect cluster to port-forward to.")] public const string ConnectPodNotReady = nameof(ConnectPodNotReady);
    [Description("Kafka Connect is rebalancing (HTTP 409); retried, then reported.")] public const string ConnectRebalanceInProgress = nameof(ConnectRebalanceInProgress);
    [Description("Kafka Connect answered 'Request timed out'.")] public const string ConnectRequestTimedOut = nameof(ConnectRequestTimedOut);
    [Description("A Kafka Connect request did not answer within -RequestTimeout.")] public const string ConnectTimeout = nameof(ConnectTimeout);
    [Description("Kafka Connect kept answering 429 Too Many Requests; retried, then reported.")] public const string ConnectTooManyRequests = nameof(ConnectTooManyRequests);
    [Description("Kafka Connect (or the ingress in front of it) refused the credentials (HTTP 401).")] public const string ConnectUnauthorized = nameof(ConnectUnauthorized);
    [Description("Kafka Connect kept answering 5xx or dropping the connection; retried, then reported.")] public const string ConnectUnavailable = nameof(ConnectUnavailable);
    [Description("The Kafka Connect REST API cannot be reached over the chosen route.")] public const string ConnectUnreachable = nameof(ConnectUnreachable);
    [Description("-ConnectUri is not an absolute http or https URL.")] public const string ConnectUriInvalid = nameof(ConnectUriInvalid);
    [Description("-ConnectAccess Direct without -ConnectUri.")] public const string ConnectUriRequired = nameof(ConnectUriRequired);
    [Description("Offsets changed, but restoring the connector's earlier state failed: it may be left STOPPED.")] public const string ConnectorLeftStopped = nameof(ConnectorLeftStopped);
    [Description("Kafka Connect does not know the connector (HTTP 404).")] public const string ConnectorNotFound = nameof(ConnectorNotFound);
    [Description("-Connector names no connector (role or name) of the flow.")] public const string ConnectorNotInFlow = nameof(ConnectorNotInFlow);
    [Description("Kafka Connect refused an offset change because the connector is not STOPPED.")] public const string ConnectorNotStopped = nameof(ConnectorNotStopped);
    [Description("The flow has several source connectors: -Connector must name one.")] public const string ConnectorRequired = nameof(ConnectorRequired);
    [Description("A consumer group's offsets cannot change while it has active members.")] public const string ConsumerGroupNotEmpty = nameof(ConsumerGroupNotEmpty);
    [Description("The consumer group does not exist on the cluster.")] public const string ConsumerGroupNotFound = nameof(ConsumerGroupNotFound);
    [Description("An empty consumer group id.")] public const string ConsumerGroupRequired = nameof(ConsumerGroupRequired);
    [Description("-Context given while running in-cluster without a kubeconfig.")] public const string ContextWithoutKubeconfig = nameof(ContextWithoutKubeconfig);
    [Description("A SASL protocol without -Credential.")] public const string CredentialRequired = nameof(CredentialRequired);
    [Description("-Credential with a protocol that has no SASL.")] public const string CredentialUnused = nameof(CredentialUnused);
    [Description("Exactly-once on an existing Connect cluster must go through 'preparing' first (Enable-ReplicationExactlyOnce).")] public const string ExactlyOnceNeedsPreparing = nameof(ExactlyOnceNeedsPreparing);
    [Description("A failback over a flow with the IdentityReplicationPolicy.")] public const string FailbackUnsupported = nameof(FailbackUnsupported);
    [Description("A controlled failover's preconditions do not hold.")] public const string FailoverPreconditionFailed = nameof(FailoverPreconditionFailed);
    [Description("The flow's KafkaConnect lacks an annotation the module writes; redeploy the flow.")] public const string FlowAnnotationMissing = nameof(FlowAnnotationMissing);
    [Description("The flow collides with a deployed flow between the same clusters.")] public const string FlowConflictsWithDeployedFlow = nameof(FlowConflictsWithDeployedFlow);
    [Description("The flow file is empty.")] public const string FlowFileEmpty = nameof(FlowFileEmpty);
    [Description("A flow file with several flows read as one.")] public const string FlowFileHasSeveralFlows = nameof(FlowFileHasSeveralFlows);
    [Description("The flow file is not valid YAML.")] public const string FlowFileInvalid = nameof(FlowFileInvalid);
    [Description("A value in the flow file is not valid.")] public const string FlowFileInvalidValue = nameof(FlowFileInvalidValue);
    [Description("A required key is missing from the flow file.")] public const string FlowFileMissingKey = nameof(FlowFileMissingKey);
    [Description("The flow file cannot be read.")] public const string FlowFileNotFound = nameof(FlowFileNotFound);
    [Description("No replication flow of that name in the namespace.")] public const string FlowNotFound = nameof(FlowNotFound);
    [Description("The flow is not valid; nothing was changed.")] public const string FlowValidationFailed = nameof(FlowValidationFailed);
    [Description("A -Group wildcard matches none of the group names the flow knows.")] public const string GroupWildcardUnresolvable = nameof(GroupWildcardUnresolvable);
    [Description("Consumer groups still lag on the source.")] public const string GroupsNotCaughtUp = nameof(GroupsNotCaughtUp);
    [Description("A runbook hook script failed.")] public const string HookFailed = nameof(HookFailed);
    [Description("A -Hook value is not a script block.")] public const string HookInvalid = nameof(HookInvalid);
    [Description("-Hook or -ConfirmedStep names a step that is not a manual step of the run.")] public const string HookUnknown = nameof(HookUnknown);
    [Description("-IncludeSecretValue without -OutputPath.")] public const string IncludeSecretValueWithoutOutputPath = nameof(IncludeSecretValueWithoutOutputPath);
    [Description("A secret written inline in a flow file.")] public const string InlineSecretNotAllowed = nameof(InlineSecretNotAllowed);
    [Description("A cluster alias that MirrorMaker 2 cannot use.")] public const string InvalidAlias = nameof(InvalidAlias);
    [Description("Bootstrap servers that are not host:port.")] public const string InvalidBootstrapServers = nameof(InvalidBootstrapServers);
    [Description("librdkafka refused the client settings.")] public const string InvalidKafkaConfig = nameof(InvalidKafkaConfig);
    [Description("A negative offset.")] public const string InvalidOffset = nameof(InvalidOffset);
    [Description("A transform's record part is neither Key nor Value.")] public const string InvalidRecordPart = nameof(InvalidRecordPart);
    [Description("A rename is not 'old:new'.")] public const string InvalidRename = nameof(InvalidRename);
    [Description("A secret reference in a flow file is neither { env: } nor { file: }.")] public const string InvalidSecretReference = nameof(InvalidSecretReference);
    [Description("A topic regex that does not compile.")] public const string InvalidTopicRegex = nameof(InvalidTopicRegex);
    [Description("The Kafka cluster refused the credentials (SASL).")] public const string KafkaAuthenticationFailed = nameof(KafkaAuthenticationFailed);
    [Description("The Kafka cluster denied the operation (ACLs).")] public const string KafkaAuthorizationFailed = nameof(KafkaAuthorizationFailed);
    [Description("The Kafka client or cluster refused a request as invalid.")] public const string KafkaInvalidRequest = nameof(KafkaInvalidRequest);
    [Description("The Kafka cluster is electing a leader or coordinator.")] public const string KafkaNotAvailable = nameof(KafkaNotAvailable);
    [Description("A Kafka operation failed for a reason not listed here.")] public const string KafkaOperationFailed = nameof(KafkaOperationFailed);
    [Description("The Kafka cluster has no such partition.")] public const string KafkaPartitionNotFound = nameof(KafkaPartitionNotFound);
    [Description("A Kafka request did not answer within -RequestTimeout.")] public const string KafkaTimeout = nameof(KafkaTimeout);
    [Description("The Kafka cluster has no such topic.")] public const string KafkaTopicNotFound = nameof(KafkaTopicNotFound);
    [Description("No broker of the Kafka cluster answered in time.")] public const string KafkaUnreachable = nameof(KafkaUnreachable);
    [Description("-KafkaVersion is not one of the Kafka versions the cluster's Strimzi operator supports.")] public const string KafkaVersionNotSupported = nameof(KafkaVersionNotSupported);
    [Description("The kubeconfig cannot be used.")] public const string KubeconfigInvalid = nameof(KubeconfigInvalid);
    [Description("No kubeconfig (or the given file does not exist).")] public const string KubeconfigNotFound = nameof(KubeconfigNotFound);
    [Description("The Kubernetes API server reported a conflict (HTTP 409).")] public const string KubernetesConflict = nameof(KubernetesConflict);
    [Description("The Kubernetes API server answered with an error not listed here.")] public const string KubernetesError = nameof(KubernetesError);
    [Description("RBAC denies the operation (HTTP 403).")] public const string KubernetesForbidden = nameof(KubernetesForbidden);
    [Description("The Kubernetes API server refused an object as invalid (HTTP 422).")] public const string KubernetesInvalid = nameof(KubernetesInvalid);
    [Description("The Kubernetes API server answered with a body that is not the expected JSON.")] public const string KubernetesMalformedResponse = nameof(KubernetesMalformedResponse);
    [Description("A Kubernetes object or API does not exist (HTTP 404).")] public const string KubernetesNotFound = nameof(KubernetesNotFound);
    [Description("A Kubernetes API request did not answer in time.")] public const string KubernetesTimeout = nameof(KubernetesTimeout);
    [Description("The Kubernetes API server kept answering 429 Too Many Requests; retried, then reported.")] public const string KubernetesTooManyRequests = nameof(KubernetesTooManyRequests);
    [Description("The Kubernetes API server refused the credentials (HTTP 401).")] public const string KubernetesUnauthorized = nameof(KubernetesUnauthorized);
    [Description("The Kubernetes API server kept answering 5xx or dropping the connection; retried, then reported.")] public const string KubernetesUnavailable = nameof(KubernetesUnavailable);
    [Description("The Kubernetes API server cannot be reached.")] public const string KubernetesUnreachable = nameof(KubernetesUnreachable);
    [Description("A manifests file is not valid YAML.")] public const string ManifestFileInvalid = nameof(ManifestFileInvalid);
    [Description("A manifests file cannot be read.")] public const string ManifestFileNotFound = nameof(ManifestFileNotFound);
    [Description("A runbook stopped at a manual step nobody confirmed; a re-run resumes there.")] public const string ManualStepPending = nameof(ManualStepPending);
    [Description("The flow does not export Prometheus metrics.")] public const string MetricsNotExported = nameof(MetricsNotExported);
    [Description("-IncludeNamespace, but the namespace holds another flow or objects no flow created.")] public const string NamespaceNotExclusive = nameof(NamespaceNotExclusive);
    [Description("An object of the same name exists and no flow manages it (-Force takes it over).")] public const string ObjectNotManaged = nameof(ObjectNotManaged);
    [Description("An object of the same name belongs to another flow.")] public const string ObjectOwnedByOtherFlow = nameof(ObjectOwnedByOtherFlow);
    [Description("-NextOffset is past the end of a partition.")] public const string OffsetBeyondEnd = nameof(OffsetBeyondEnd);
    [Description("Connect reads back other offsets than those written.")] public const string OffsetVerificationFailed = nameof(OffsetVerificationFailed);
    [Description("Strimzi did not write the offsets ConfigMap.")] public const string OffsetsListMissing = nameof(OffsetsListMissing);
    [Description("-Partition without -Topic.")] public const string PartitionWithoutTopic = nameof(PartitionWithoutTopic);
    [Description("No flow replicates back from the target to the source.")] public const string ReverseFlowMissing = nameof(ReverseFlowMissing);
    [Description("-ReverseName without -Bidirectional.")] public const string ReverseNameWithoutBidirectional = nameof(ReverseNameWithoutBidirectional);
    [Description("Another run changed the runbook progress record at the same time; this one stopped before its next step.")] public const string RunbookConcurrentRun = nameof(RunbookConcurrentRun);
    [Description("Another run of a runbook on this flow is recorded and not finished.")] public const string RunbookConflict = nameof(RunbookConflict);
    [Description("Another run of the runbook is recorded and not finished.")] public const string RunbookInProgress = nameof(RunbookInProgress);
    [Description("The recorded runbook progress names other steps than this run's plan: -Restart starts over.")] public const string RunbookPlanChanged = nameof(RunbookPlanChanged);
    [Description("The runbook progress record cannot be read: -Restart replaces it.")] public const string RunbookRecordCorrupt = nameof(RunbookRecordCorrupt);
    [Description("A SASL protocol without -SaslMechanism.")] public const string SaslMechanismRequired = nameof(SaslMechanismRequired);
    [Description("-SaslMechanism with a protocol that has no SASL.")] public const string SaslMechanismUnused = nameof(SaslMechanismUnused);
    [Description("A flow file's secret reads an environment variable that is not set.")] public const string SecretEnvironmentVariableMissing = nameof(SecretEnvironmentVariableMissing);
    [Description("A flow file's secret reads a file that cannot be read.")] public const string SecretFileNotFound = nameof(SecretFileNotFound);
    [Description("The service proxy route needs a kubeconfig-based connection.")] public const string ServiceProxyUnsupported = nameof(ServiceProxyUnsupported);
    [Description("The flow's source ConfigMap or Secret is missing; give -Source.")] public const string SourceConfigMissing = nameof(SourceConfigMissing);
    [Description("The flow's source ConfigMap or Secret cannot be read back into a cluster reference.")] public const string SourceConfigUnreadable = nameof(SourceConfigUnreadable);
    [Description("The flow's source JAAS config has no user name and password; give -Source.")] public const string SourceCredentialUnreadable = nameof(SourceCredentialUnreadable);
    [Description("The cluster does not serve the Strimzi API.")] public const string StrimziNotInstalled = nameof(StrimziNotInstalled);
    [Description("Strimzi could not list, alter or reset a connector's offsets.")] public const string StrimziOffsetsFailed = nameof(StrimziOffsetsFailed);
    [Description("A Strimzi offsets request (strimzi.io/connector-offsets) could not be withdrawn: the connector is left STOPPED until it is gone.")] public const string StrimziOffsetsRequestPending = nameof(StrimziOffsetsRequestPending);
    [Description("-StrimziVersion (or strimziVersion) is not a Strimzi release the module knows.")] public const string StrimziVersionInvalid = nameof(StrimziVersionInvalid);
    [Description("The flow's KafkaConnect has no bootstrapServers; give -Target.")] public const string TargetConfigMissing = nameof(TargetConfigMissing);
    [Description("The target cluster is secured; give -Target or -TargetKafkaConfig.")] public const string TargetCredentialsRequired = nameof(TargetCredentialsRequired);
    [Description("The source cluster has no such topic.")] public const string TopicNotFound = nameof(TopicNotFound);
    [Description("No topic name or regex given.")] public const string TopicRegexRequired = nameof(TopicRegexRequired);
    [Description("A topic pattern took too long to match (catastrophic backtracking).")] public const string TopicRegexTooSlow = nameof(TopicRegexTooSlow);
    [Description("The ConfigMap key a connector reads its topics from is missing.")] public const string TopicsConfigMissing = nameof(TopicsConfigMissing);
    [Description("The CA certificate or truststore file cannot be read.")] public const string TrustFileUnreadable = nameof(TrustFileUnreadable);
    [Description("A TLS protocol without a CA certificate or truststore.")] public const string TrustMaterialRequired = nameof(TrustMaterialRequired);
    [Description("A CA certificate or truststore with a protocol that has no TLS.")] public const string TrustMaterialUnused = nameof(TrustMaterialUnused);
    [Description("Both -CaCertificatePath and -TruststorePath.")] public const string TrustSourceAmbiguous = nameof(TrustSourceAmbiguous);
    [Description("The truststore file does not exist.")] public const string TruststoreNotFound = nameof(TruststoreNotFound);
    [Description("The module's own Kafka client cannot read a JKS or PKCS12 truststore.")] public const string TruststoreNotUsableByClient = nameof(TruststoreNotUsableByClient);
    [Description("A JKS or PKCS12 truststore without -TruststorePassword.")] public const string TruststorePasswordRequired = nameof(TruststorePasswordRequired);
    [Description("-TruststorePassword with a PEM CA certificate.")] public const string TruststorePasswordUnused = nameof(TruststorePasswordUnused);
    [Description("The truststore is neither JKS, PKCS12 nor PEM.")] public const string TruststoreUnreadable = nameof(TruststoreUnreadable);
    [Description("A failure the module did not foresee (a defect: please report it with the message).")] public const string UnexpectedError = nameof(UnexpectedError);
    [Description("An object kind the module does not manage.")] public const string UnsupportedKind = nameof(UnsupportedKind);
    [Description("A wait ran out of its -Timeout.")] public const string WaitTimedOut = nameof(WaitTimedOut);
    [Description("The Kubernetes API server cannot watch the object being waited on.")] public const string WaitUnsupported = nameof(WaitUnsupported);
    [Description("A YAML input whose aliases expand beyond the bound (an alias bomb).")] public const string YamlAliasExpansionTooLarge = nameof(YamlAliasExpansionTooLarge);
    [Description("A YAML input nests deeper than the module reads.")] public const string YamlTooDeep = nameof(YamlTooDeep);
    [Description("A YAML input (flow file, manifest, kubeconfig) is larger than the module reads.")] public const string YamlTooLarge = nameof(YamlTooLarge);

    /// <summary>Every id with its description, in name order.</summary>
    public static IReadOnlyDictionary<string, string> All { get; } = typeof(ErrorIds)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral)
        .OrderBy(f => f.Name, StringComparer.Ordinal)
        .ToDictionary(f => (string)f.GetRawConstantValue()!, f => f.GetCustomAttribute<DescriptionAttribute>()?.Description ?? "", StringComparer.Ordinal);
}
