using BenchmarkDotNet.Attributes;
using ClinicChat.Patients;

namespace ClinicChat.MicroBench;

/// <summary>
/// Name normalisation runs for every search keystroke (the query) and for every patient registered
/// (the stored tokens): accent folding, lower-casing and splitting.
/// </summary>
[MemoryDiagnoser]
public class SearchBenchmarks
{
    [Params("zoe mul", "Zoë Müller-Núñez O'Brien")]
    public string Text { get; set; } = "";

    [Benchmark]
    public string Normalize() => NameSearch.Normalize(Text);

    [Benchmark]
    public int Tokens() => NameSearch.Tokens(Text).Count();
}
