// A bare Kestrel: what this machine answers with no work behind the request. bench/run.sh divides every figure by it.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
var app = builder.Build();
app.MapGet("/", () => "ok");
app.Run();
