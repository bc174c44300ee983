using ClinicChat.PreviewWorker;

// One render per process: ClinicChat.PreviewWorker <content-type> <input> <output> <max-edge> <max-pixels> <deadline-seconds>
// The exit code is the contract with the web node's PreviewRenderer; stdout carries only the
// memory report. Nothing from the file (text, names, parser messages) is ever printed: the parent
// may log what it reads here.
if (!RenderRequest.TryParse(args, out var request))
{
    Console.Error.WriteLine("usage: ClinicChat.PreviewWorker <content-type> <input> <output> <max-edge> <max-pixels> <deadline-seconds>");
    return WorkerExitCodes.Usage;
}

var isPdf = request.ContentType == "application/pdf";
// Without Ghostscript this machine cannot tell anything about a PDF; the parent must not store "no preview" for it.
if (isPdf && Executables.Find("gs") is null)
{
    return WorkerExitCodes.NoRenderer;
}

bool rendered;
try
{
    rendered = isPdf ? PdfPreview.Render(request) : ImagePreview.Render(request);
}
catch (Exception exception)
{
    // A hostile or damaged file may break any decoder in any way; all of it means "no preview".
    // Only the exception's type is reported: its message can quote the file.
    Console.Error.WriteLine($"render failed: {exception.GetType().Name}");
    rendered = false;
}

Console.Out.WriteLine(PeakMemory.Report());
return rendered ? WorkerExitCodes.Rendered : WorkerExitCodes.NoPreview;
