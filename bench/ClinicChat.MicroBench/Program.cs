using BenchmarkDotNet.Running;

// Micro-benchmarks of the per-message hot paths (docs/benchmarks.md, "Micro-benchmarks"):
//   dotnet run -c Release --project bench/ClinicChat.MicroBench -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(ClinicChat.MicroBench.ReceiptBenchmarks).Assembly).Run(args);
