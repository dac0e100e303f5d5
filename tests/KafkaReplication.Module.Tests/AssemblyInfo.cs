// Runspaces share the process: $env:KUBECONFIG and friends are process-wide, so test classes must not overlap.
[assembly: Xunit.CollectionBehavior(DisableTestParallelization = true)]
