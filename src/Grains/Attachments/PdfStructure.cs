using System.Buffers;
using System.IO.Compression;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Filters;
using UglyToad.PdfPig.Tokens;

namespace ClinicChat.Attachments;

/// <summary>
/// A PDF is a program for its reader: a stream may name another file for its data (<c>/F</c>, which
/// Ghostscript follows even with -dSAFER), and actions may launch programs or run JavaScript. Such a
/// PDF is refused on upload. Every indirect object is read through PdfPig, including objects packed
/// in compressed object streams, which a search of the raw bytes cannot see.
/// </summary>
/// <remarks>
/// The sender controls every count and size in the file, so the work is bounded before PdfPig builds
/// anything: declared object counts are read from the raw bytes first (PdfPig took 10 s and 430 MB
/// here to open a 20 MB file listing a million objects), and PdfPig decodes through filters that
/// refuse to inflate past <see cref="MaxDecodedBytes"/> in total.
/// </remarks>
public static class PdfStructure
{
    /// <summary>
    /// Far more objects than real documents hold (a 500-page report has some 10,000); walking this
    /// many takes about half a second here.
    /// </summary>
    public const int MaxObjects = 50_000;

    /// <summary>
    /// What the check may inflate in total. Only cross-reference and object streams are decoded
    /// (page content and images never are), and those hold dictionaries: a few MB in large documents.
    /// </summary>
    public const long MaxDecodedBytes = 32L * 1024 * 1024;

    /// <summary>Stream dictionary keys that take a stream's data from another file (PDF 32000-1, 7.3.8.2).</summary>
    private static readonly HashSet<string> ExternalFileKeys = ["F", "FFilter", "FDecodeParms"];

    /// <summary>Keys whose value is JavaScript: a document-level name tree, an action's script.</summary>
    private static readonly HashSet<string> ScriptKeys = ["JS", "JavaScript"];

    /// <summary>Action types (<c>/S</c>) that run something: a program, a script.</summary>
    private static readonly HashSet<string> ActiveActions = ["Launch", "JavaScript"];

    public static Refusal? Check(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (DeclaredObjects(bytes) > MaxObjects)
        {
            return TooComplex();
        }

        var budget = new DecodeBudget(MaxDecodedBytes);
        try
        {
            using var document = PdfDocument.Open(bytes, new ParsingOptions
            {
                UseLenientParsing = true,
                SkipMissingFonts = true,
                FilterProvider = new BudgetedFilters(DefaultFilterProvider.Instance, budget),
            });
            var structure = document.Structure;
            var objects = structure.CrossReferenceTable.ObjectOffsets;
            if (objects.Count > MaxObjects)
            {
                return TooComplex();
            }

            // The trailer holds only references (catalog, info, encryption): its objects are in the table.
            Finding? found = null;
            foreach (var reference in objects.Keys)
            {
                found ??= Find(structure.GetObject(reference).Data);
            }

            return found switch
            {
                null => null,
                Finding.ExternalFile => Unsafe("It refers to other files for its content."),
                Finding.Script => Unsafe("It contains JavaScript."),
                _ => Unsafe("It contains an action that starts a program."),
            };
        }
        catch (DecodeLimitException)
        {
            return TooComplex();
        }
#pragma warning disable CA1031 // A parser of hostile input fails in many ways; each one means "not a PDF we can vouch for".
        catch (Exception exception) when (exception is not OutOfMemoryException)
#pragma warning restore CA1031
        {
            return budget.Exceeded ? TooComplex() : new Refusal(AttachmentSafety.TypeNotAllowed, "This PDF could not be read.",
                "The file starts like a PDF but is damaged, encrypted or not a PDF.");
        }
    }

    private enum Finding
    {
        ExternalFile,
        Script,
        ActiveAction,
    }

    /// <summary>Walks one object's tokens without recursion (nesting depth is the sender's choice too).</summary>
    private static Finding? Find(IToken root)
    {
        var pending = new Stack<IToken>();
        pending.Push(root);
        while (pending.TryPop(out var token))
        {
            switch (token)
            {
                case StreamToken stream:
                    if (stream.StreamDictionary.Data.Keys.Any(ExternalFileKeys.Contains))
                    {
                        return Finding.ExternalFile;
                    }

                    pending.Push(stream.StreamDictionary);
                    break;
                case DictionaryToken dictionary:
                    foreach (var (key, value) in dictionary.Data)
                    {
                        if (ScriptKeys.Contains(key))
                        {
                            return Finding.Script;
                        }

                        if (key == "S" && value is NameToken { Data: var action } && ActiveActions.Contains(action))
                        {
                            return action == "Launch" ? Finding.ActiveAction : Finding.Script;
                        }

                        pending.Push(value);
                    }

                    break;
                case ArrayToken array:
                    foreach (var item in array.Data)
                    {
                        pending.Push(item);
                    }

                    break;
            }
        }

        return null;
    }

    /// <summary>
    /// The largest object count the raw bytes declare: cross-reference table entries
    /// ("0000000009 00000 n"), <c>/Size</c> values and <c>/Index</c> ranges of cross-reference streams
    /// (whose dictionaries are never compressed). PdfPig allocates for each before anything else can be checked.
    /// </summary>
    internal static long DeclaredObjects(byte[] pdf)
    {
        long tableEntries = 0;
        var bytes = pdf.AsSpan();
        for (var i = bytes.IndexOfAny((byte)'n', (byte)'f'); i >= 0; i = NextIndexOfAny(bytes, i + 1))
        {
            // An entry: 10 digits, a space, 5 digits, a space, then n or f.
            if (i >= 17 && bytes[i - 1] == ' ' && bytes[i - 7] == ' ' && IsDigits(bytes.Slice(i - 6, 5)) && IsDigits(bytes.Slice(i - 17, 10)))
            {
                tableEntries++;
            }
        }

        long largest = tableEntries;
        foreach (var size in IntegersAfter(pdf, "/Size"u8.ToArray(), 1))
        {
            largest = Math.Max(largest, size);
        }

        foreach (var index in ArraysAfter(pdf, "/Index"u8.ToArray()))
        {
            long count = 0;
            for (var i = 1; i < index.Count; i += 2)
            {
                count += index[i];
            }

            largest = Math.Max(largest, count);
        }

        return largest;

        static int NextIndexOfAny(ReadOnlySpan<byte> bytes, int from)
        {
            var next = bytes[from..].IndexOfAny((byte)'n', (byte)'f');
            return next < 0 ? -1 : from + next;
        }
    }

    private static bool IsDigits(ReadOnlySpan<byte> span) => !span.ContainsAnyExceptInRange((byte)'0', (byte)'9');

    private static IEnumerable<long> IntegersAfter(byte[] pdf, byte[] key, int count)
    {
        foreach (var values in ValuesAfter(pdf, key, bracketed: false))
        {
            foreach (var value in values.Take(count))
            {
                yield return value;
            }
        }
    }

    private static IEnumerable<List<long>> ArraysAfter(byte[] pdf, byte[] key) => ValuesAfter(pdf, key, bracketed: true);

    /// <summary>The integers after each occurrence of <paramref name="key"/>: one, or all inside a following [ ].</summary>
    private static IEnumerable<List<long>> ValuesAfter(byte[] pdf, byte[] key, bool bracketed)
    {
        for (var at = pdf.AsSpan().IndexOf(key); at >= 0;)
        {
            var i = at + key.Length;
            var values = new List<long>();
            while (i < pdf.Length && IsSpace(pdf[i]))
            {
                i++;
            }

            var inArray = bracketed && i < pdf.Length && pdf[i] == '[';
            if (inArray)
            {
                i++;
            }

            while (i < pdf.Length)
            {
                while (i < pdf.Length && IsSpace(pdf[i]))
                {
                    i++;
                }

                long value = 0;
                var digits = 0;
                while (i < pdf.Length && pdf[i] is >= (byte)'0' and <= (byte)'9' && digits < 12)
                {
                    value = (value * 10) + (pdf[i] - '0');
                    digits++;
                    i++;
                }

                if (digits == 0)
                {
                    break;
                }

                values.Add(value);
                if (!inArray)
                {
                    break;
                }
            }

            yield return values;
            var next = pdf.AsSpan(at + key.Length).IndexOf(key);
            at = next < 0 ? -1 : at + key.Length + next;
        }

        static bool IsSpace(byte b) => b is (byte)' ' or (byte)'\r' or (byte)'\n' or (byte)'\t' or (byte)'\f' or 0;
    }

    private static Refusal TooComplex() => Unsafe("It is far larger or more complex inside than a document needs to be.");

    private static Refusal Unsafe(string detail) => new(AttachmentSafety.PdfUnsafe, "This PDF cannot be accepted.",
        detail + " Print it to a new PDF, or send it as images, and try again.");

    private sealed class DecodeLimitException() : Exception("The PDF inflates past the check's limit.");

    /// <summary>What is left to inflate for one document; shared by all its filters.</summary>
    private sealed class DecodeBudget(long total)
    {
        private long _remaining = total;

        public bool Exceeded { get; private set; }

        public long Remaining => _remaining;

        public void Charge(long bytes)
        {
            _remaining -= bytes;
            if (_remaining < 0)
            {
                Exceeded = true;
                throw new DecodeLimitException();
            }
        }
    }

    private sealed class BudgetedFilters(IFilterProvider inner, DecodeBudget budget) : IFilterProvider
    {
        public IReadOnlyList<IFilter> GetFilters(DictionaryToken dictionary) => Wrap(inner.GetFilters(dictionary));

        public IReadOnlyList<IFilter> GetNamedFilters(IReadOnlyList<NameToken> names) => Wrap(inner.GetNamedFilters(names));

        public IReadOnlyList<IFilter> GetAllFilters() => Wrap(inner.GetAllFilters());

        private IReadOnlyList<IFilter> Wrap(IReadOnlyList<IFilter> filters) => [.. filters.Select(f => new BudgetedFilter(f, budget))];
    }

    /// <summary>
    /// Measures what a filter would produce before letting PdfPig's own filter produce it (PdfPig
    /// inflates into one array, so a bomb would be whole in memory before anything could stop it).
    /// </summary>
    private sealed class BudgetedFilter(IFilter inner, DecodeBudget budget) : IFilter
    {
        /// <summary>Longest string one LZW code can stand for (its table has 4,096 entries).</summary>
        private const long LzwMaxExpansion = 4096;

        public bool IsSupported => inner.IsSupported;

        public Memory<byte> Decode(Memory<byte> input, DictionaryToken streamDictionary, IFilterProvider filterProvider, int filterIndex)
        {
            budget.Charge(inner switch
            {
                FlateFilter => InflatedLength(input, budget.Remaining),
                RunLengthFilter => RunLengthLength(input.Span),
                LzwFilter => input.Length * LzwMaxExpansion,
                AsciiHexDecodeFilter or Ascii85Filter => input.Length,

                // Image codecs: never needed to read a document's structure.
                _ => throw new DecodeLimitException(),
            });
            return inner.Decode(input, streamDictionary, filterProvider, filterIndex);
        }

        /// <summary>
        /// Inflates into a small reused buffer, counting, and stops one byte past <paramref name="limit"/>.
        /// Read both as zlib and as raw deflate after the two header bytes (PdfPig tolerates either).
        /// </summary>
        private static long InflatedLength(Memory<byte> input, long limit)
        {
            var asZlib = Count(() => new ZLibStream(new MemoryStream(input.ToArray(), writable: false), CompressionMode.Decompress), limit);
            var asDeflate = input.Length > 2
                ? Count(() => new DeflateStream(new MemoryStream(input[2..].ToArray(), writable: false), CompressionMode.Decompress), limit)
                : 0;
            return Math.Max(asZlib, asDeflate);
        }

        private static long Count(Func<Stream> open, long limit)
        {
            var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
            long total = 0;
            try
            {
                using var stream = open();
                int read;
                while (total <= limit && (read = stream.Read(buffer)) > 0)
                {
                    total += read;
                }
            }
            catch (InvalidDataException)
            {
                // Damaged data: what came out before the damage is what a decoder could produce.
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            return total;
        }

        /// <summary>The exact output length of RunLengthDecode (PDF 32000-1, 7.4.5).</summary>
        private static long RunLengthLength(ReadOnlySpan<byte> input)
        {
            long total = 0;
            for (var i = 0; i < input.Length;)
            {
                var length = input[i];
                if (length == 128)
                {
                    break;
                }

                if (length < 128)
                {
                    total += length + 1;
                    i += length + 2;
                }
                else
                {
                    total += 257 - length;
                    i += 2;
                }
            }

            return total;
        }
    }
}
