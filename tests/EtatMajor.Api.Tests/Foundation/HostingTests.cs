using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using EtatMajor.SharedKernel.Data;
using Microsoft.Data.Sqlite;

namespace EtatMajor.Api.Tests.Foundation;

/// <summary>Issue 2, points 2, 3, 5, 8, 9, 10: hosting, migrations, bootstrap, errors, Swagger, health.</summary>
public sealed class HostingTests(DatabaseProvider provider) : ApiTest(provider)
{
    [Test]
    public async Task Health_live_and_ready_answer_without_a_token()
    {
        using var live = await Api.Anonymous().GetAsync("/health/live");
        using var ready = await Api.Anonymous().GetAsync("/health/ready");
        Assert.Multiple(() =>
        {
            Assert.That(live.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        });
        var body = await Json.ReadAsync(ready, HttpStatusCode.OK);
        Assert.Multiple(() =>
        {
            Assert.That(body.GetProperty("checks").GetProperty("database").GetProperty("status").GetString(), Is.EqualTo("healthy"));
            Assert.That(body.GetProperty("checks").GetProperty("access-log").GetProperty("status").GetString(), Is.EqualTo("healthy"));
            // Jobs never make an instance unready: late, or no schedule (the test host runs none), they are "degraded" and said.
            Assert.That(body.GetProperty("checks").GetProperty("jobs").GetProperty("status").GetString(), Is.EqualTo("degraded"));
            Assert.That(body.GetProperty("checks").GetProperty("jobs").GetProperty("description").GetString(), Does.Contain("Jobs:RunOnSchedule=false").Or.Contain("late: "));
        });
    }

    [Test]
    public async Task A_job_late_by_more_than_its_interval_is_named_by_the_readiness_probe()
    {
        // The retention job runs once (its lease then says when it is due next); then three days pass without it.
        await Api.Factory.RunJobAsync("audit.retention");
        Api.Clock.Advance(TimeSpan.FromDays(3));
        using var ready = await Api.Anonymous().GetAsync("/health/ready");
        var jobs = (await Json.ReadAsync(ready, HttpStatusCode.OK)).GetProperty("checks").GetProperty("jobs");
        Assert.Multiple(() =>
        {
            Assert.That(jobs.GetProperty("status").GetString(), Is.EqualTo("degraded"), "degraded, still ready: an operator looks");
            Assert.That(jobs.GetProperty("description").GetString(), Does.Contain("late: ").And.Contain("audit.retention"));
        });
    }

    [Test]
    public async Task Unknown_routes_and_methods_answer_with_problem_details()
    {
        using var missing = await Api.Anonymous().GetAsync("/api/v1/nothing-here");
        await Json.ProblemAsync(missing, HttpStatusCode.NotFound);
        using var method = await (await Api.AdminAsync()).PutAsJsonAsync("/api/v1/organisations", new { });
        await Json.ProblemAsync(method, HttpStatusCode.MethodNotAllowed);
    }

    [Test]
    public async Task Malformed_json_an_integer_enum_and_a_body_over_the_limit_are_refused_clearly()
    {
        var admin = await Api.AdminAsync();
        using var malformed = await admin.PostAsync("/api/v1/organisations", new StringContent("{\"code\": ", Encoding.UTF8, "application/json"));
        await Json.ProblemAsync(malformed, HttpStatusCode.BadRequest);
        using var integerEnum = await admin.PostAsync("/api/v1/organisations",
            new StringContent("{\"code\":\"x1\",\"name\":\"x\",\"kind\":3,\"departement\":\"75\"}", Encoding.UTF8, "application/json"));
        var problem = await Json.ProblemAsync(integerEnum, HttpStatusCode.BadRequest);
        Assert.That(problem.GetProperty("errors").TryGetProperty("kind", out _), Is.True, problem.ToString());
        using var huge = await admin.PostAsync("/api/v1/organisations",
            new StringContent("{\"name\":\"" + new string('a', 2 * 1024 * 1024) + "\"}", Encoding.UTF8, "application/json"));
        await Json.ProblemAsync(huge, HttpStatusCode.RequestEntityTooLarge);
        using var longName = await admin.PostAsJsonAsync("/api/v1/organisations", new { code = "long-name", name = new string('n', 201), kind = "douanes", departement = "59" });
        var tooLong = await Json.ProblemAsync(longName, HttpStatusCode.BadRequest);
        Assert.That(tooLong.GetProperty("errors").GetProperty("name")[0].GetString(), Does.Contain("200"));
    }

    [Test]
    public async Task An_over_long_on_behalf_of_header_gives_400()
    {
        var admin = Api.Anonymous();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/organisations");
        request.Headers.Authorization = (await Api.AdminAsync()).DefaultRequestHeaders.Authorization;
        request.Headers.Add("X-On-Behalf-Of", new string('a', 201));
        using var response = await admin.SendAsync(request);
        await Json.ProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Test]
    public async Task Swagger_documents_every_operation_with_its_scope_and_error_responses_and_the_client_credentials_flow()
    {
        using var ui = await Api.Anonymous().GetAsync("/swagger/index.html");
        Assert.That(ui.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        using var response = await Api.Anonymous().GetAsync("/swagger/v1/swagger.json");
        var document = await Json.ReadAsync(response, HttpStatusCode.OK);
        var flow = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("oauth2").GetProperty("flows").GetProperty("clientCredentials");
        var tokenUrl = flow.GetProperty("tokenUrl").GetString()!;
        Assert.That(tokenUrl, Does.EndWith("/connect/token"));
        Assert.That(flow.GetProperty("scopes").EnumerateObject().Select(s => s.Name), Is.SupersetOf(new[] { "admin", "governance", "exchange", "audit" }));

        var operations = document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(op => (Path: path.Name, Method: op.Name, Operation: op.Value))).ToList();
        Assert.That(operations, Has.Count.GreaterThanOrEqualTo(12));
        Assert.Multiple(() =>
        {
            foreach (var (path, method, operation) in operations)
            {
                var security = operation.GetProperty("security").EnumerateArray().SelectMany(r => r.GetProperty("oauth2").EnumerateArray()).ToList();
                Assert.That(security, Is.Not.Empty, $"{method} {path} lists its scope");
                var responses = operation.GetProperty("responses").EnumerateObject().ToList();
                Assert.That(responses.Select(r => r.Name), Is.SupersetOf(new[] { "401", "403", "429", "500" }), $"{method} {path} lists its error responses");
                foreach (var error in responses.Where(r => int.Parse(r.Name, System.Globalization.CultureInfo.InvariantCulture) >= 400))
                {
                    Assert.That(error.Value.GetProperty("content").EnumerateObject().Select(c => c.Value.GetProperty("schema").GetProperty("$ref").GetString()),
                        Is.All.EqualTo("#/components/schemas/Problem"), $"{method} {path} {error.Name}: the one problem schema");
                }
            }
        });
        // Issue 15: what a member declared non-nullable always carries is required and not nullable, for generators.
        var schemas = document.GetProperty("components").GetProperty("schemas");
        var client = schemas.GetProperty("ClientDto");
        var problem = schemas.GetProperty("Problem");
        Assert.Multiple(() =>
        {
            Assert.That(client.GetProperty("required").EnumerateArray().Select(r => r.GetString()), Is.SupersetOf(new[] { "clientId", "scopes", "enabled" }).And.Not.Contain("disabledAt"));
            Assert.That(client.GetProperty("properties").GetProperty("clientId").TryGetProperty("nullable", out _), Is.False);
            Assert.That(problem.GetProperty("properties").EnumerateObject().Select(p => p.Name), Is.SupersetOf(new[] { "traceId", "errors", "ruleId", "legalBasis", "violations" }));
        });
        // Issue 15: a body's required members and text limits are those its validator states (ValidatedSchemaFilter), and
        // a member required only in some cases (a maire's commune, one procureur field or the other) is not marked.
        static string[] Required(JsonElement schema) => schema.GetProperty("required").EnumerateArray().Select(r => r.GetString()!).Order().ToArray();
        var send = schemas.GetProperty("ExchangeBody");
        var organisation = schemas.GetProperty("CreateOrganisation");
        Assert.Multiple(() =>
        {
            Assert.That(Required(send), Is.EqualTo(new[] { "body", "subject" }));
            Assert.That(send.GetProperty("properties").GetProperty("subject").GetProperty("maxLength").GetInt32(), Is.EqualTo(200));
            Assert.That(send.GetProperty("properties").GetProperty("subject").TryGetProperty("nullable", out _), Is.False, "required, so never null");
            Assert.That(Required(schemas.GetProperty("CreateClient")), Is.EqualTo(new[] { "displayName", "organisationId", "scopes" }));
            Assert.That(Required(organisation), Is.EqualTo(new[] { "code", "kind", "name" }), "departement and communeInsee depend on the kind");
            Assert.That(organisation.GetProperty("properties").GetProperty("code").GetProperty("maxLength").GetInt32(), Is.EqualTo(64));
            Assert.That(Required(schemas.GetProperty("CreateInstance")), Is.EqualTo(new[] { "kind", "name", "prefetOrganisationId" }));
            // One level down: the designated person of a designation, as its validator names `person.lastName`.
            Assert.That(Required(schemas.GetProperty("PersonInput")), Is.EqualTo(new[] { "birthDate", "firstNames", "lastName" }));
            Assert.That(schemas.GetProperty("PersonInput").GetProperty("properties").GetProperty("lastName").GetProperty("maxLength").GetInt32(), Is.EqualTo(100));
        });

        // What Try it out does after Authorize: a token from the documented URL, then the call.
        using var token = await Api.Anonymous().PostAsync(new Uri(tokenUrl).PathAndQuery, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = ApiFactory.AdminClientId, ["client_secret"] = ApiFactory.AdminSecret, ["scope"] = "admin",
        }));
        var accessToken = (await Json.ReadAsync(token, HttpStatusCode.OK)).GetProperty("access_token").GetString();
        var http = Api.Anonymous();
        http.DefaultRequestHeaders.Authorization = new("Bearer", accessToken);
        using var organisations = await http.GetAsync("/api/v1/organisations");
        Assert.That(organisations.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }
}

/// <summary>Start-up behaviours that need their own host or process.</summary>
public sealed class StartupTests
{
    private static string ApiAssembly => typeof(Program).Assembly.Location;

    private static async Task<(int ExitCode, string Output)> RunApiAsync(Dictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(ApiAssembly);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await error);
    }

    [Test]
    public async Task In_production_the_api_refuses_to_start_without_certificates_and_names_the_missing_settings()
    {
        var directory = Directory.CreateTempSubdirectory("etatmajor-prod-").FullName;
        var (exitCode, output) = await RunApiAsync(new()
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ConnectionStrings__EtatMajor"] = $"Data Source={Path.Combine(directory, "x.db")}",
        });
        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.Not.Zero);
            Assert.That(output, Does.Contain("Auth:SigningCertificate:Path"));
            Assert.That(output, Does.Contain("Auth:EncryptionCertificate:Path"));
            Assert.That(output, Does.Contain("Audit:SigningKey:Path"), "every missing setting in one message");
            Assert.That(output, Does.Contain("FollowUp:IdentityKey"), "the key of the designated persons' keyed hash");
            Assert.That(output, Does.Not.Contain("   at "), "a sentence, not a stack trace");
        });
    }

    [Test]
    public async Task Help_lists_the_commands_and_exits_without_serving()
    {
        var (exitCode, output) = await RunApiAsync(new() { ["ASPNETCORE_ENVIRONMENT"] = "Production" }, "--help");
        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.Zero, output);
            Assert.That(output, Does.Contain("migrate").And.Contain("clients").And.Contain("audit").And.Contain("--data"));
            Assert.That(output, Does.Not.Contain("cannot start"), "help needs no configuration");
        });
        // Issue 15: --help at every level of the operator's commands.
        var (clientsCode, clients) = await RunApiAsync(new() { ["ASPNETCORE_ENVIRONMENT"] = "Production" }, "clients", "--help");
        var (auditCode, audit) = await RunApiAsync(new() { ["ASPNETCORE_ENVIRONMENT"] = "Production" }, "audit", "--help");
        var (createCode, create) = await RunApiAsync(new() { ["ASPNETCORE_ENVIRONMENT"] = "Production" }, "clients", "create", "--help");
        Assert.Multiple(() =>
        {
            Assert.That((clientsCode, auditCode, createCode), Is.EqualTo((0, 0, 0)));
            Assert.That(clients, Does.Contain("list").And.Contain("create").And.Contain("disable").And.Contain("enable").And.Contain("rotate-secret"));
            Assert.That(audit, Does.Contain("verify").And.Contain("export").And.Contain("checkpoints"));
            Assert.That(create, Does.Contain("--organisation").And.Contain("--name").And.Contain("--scope"));
        });
        var (unknown, message) = await RunApiAsync(new() { ["ASPNETCORE_ENVIRONMENT"] = "Testing" }, "migrat");
        Assert.That(unknown, Is.EqualTo(2));
        Assert.That(message, Does.StartWith("Unknown command 'migrat'."));
    }

    [Test]
    public async Task A_build_started_from_another_directory_reads_its_own_settings_and_keeps_its_data_where_it_is_told()
    {
        var elsewhere = Directory.CreateTempSubdirectory("etatmajor-cwd-").FullName;
        try
        {
            // Development, as on a newcomer's machine: appsettings.Development.json turns Swagger and the dev admin on.
            await using var api = await ApiProcess.StartAsync(elsewhere, new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = "Development" },
                "--data", "store");
            using var http = new HttpClient { BaseAddress = new Uri(api.BaseUrl) };
            using var swagger = await http.GetAsync("/swagger/v1/swagger.json");
            using var token = await http.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials", ["client_id"] = "dev-admin", ["client_secret"] = "dev-admin-secret",
            }));
            Assert.Multiple(() =>
            {
                Assert.That(swagger.StatusCode, Is.EqualTo(HttpStatusCode.OK), "appsettings.Development.json read from the application's folder");
                Assert.That(token.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the development administrator exists");
                Assert.That(File.Exists(Path.Combine(elsewhere, "store", "etatmajor.db")), Is.True, "--data is read from the working directory");
                Assert.That(Directory.Exists(Path.Combine(elsewhere, "data")), Is.False, "nothing lands in ./data of the working directory");
                Assert.That(api.Output, Does.Contain($"Swagger UI: {api.BaseUrl}/swagger"), "the console says where Swagger UI is");
            });
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(elsewhere, recursive: true);
        }
    }

    [Test]
    public async Task The_operator_s_commands_manage_clients_and_export_the_log_each_recorded_under_the_operator_s_name()
    {
        using var factory = new ApiFactory();
        using var api = new TestApi(factory);
        var organisationId = await api.CreateOrganisationAsync(TestApi.UniqueCode("mairie"), "maire", "13", "13055");
        var database = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Testing",
            ["ConnectionStrings__EtatMajor"] = $"Data Source={factory.SqlitePath}",
            ["Bootstrap__AdminClientId"] = ApiFactory.AdminClientId,
        };
        async Task<JsonElement> RunJsonAsync(params string[] args)
        {
            var (code, output) = await RunApiAsync(database, args);
            Assert.That(code, Is.Zero, output);
            return JsonDocument.Parse(output[output.IndexOfAny(['{', '['])..]).RootElement.Clone();
        }

        var created = await RunJsonAsync("clients", "create", "--organisation", organisationId.ToString(), "--name", "Logiciel de la mairie", "--scope", "exchange");
        var clientId = created.GetProperty("clientId").GetString()!;
        var secret = created.GetProperty("clientSecret").GetString()!;
        using var first = await api.RequestTokenAsync(clientId, secret);
        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the client made by the command line obtains tokens");

        var listed = await RunJsonAsync("clients", "list", "--organisation", organisationId.ToString());
        Assert.Multiple(() =>
        {
            Assert.That(listed.EnumerateArray().Select(c => c.GetProperty("clientId").GetString()), Is.EqualTo(new[] { clientId }));
            Assert.That(listed.GetRawText(), Does.Not.Contain(secret), "never a secret in a list");
        });

        var rotated = await RunJsonAsync("clients", "rotate-secret", clientId);
        var newSecret = rotated.GetProperty("clientSecret").GetString()!;
        using var oldSecret = await api.RequestTokenAsync(clientId, secret);
        using var withNew = await api.RequestTokenAsync(clientId, newSecret);
        Assert.Multiple(() =>
        {
            Assert.That(newSecret, Is.Not.EqualTo(secret));
            Assert.That(oldSecret.IsSuccessStatusCode, Is.False, "the old secret is refused");
            Assert.That(withNew.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        });

        var (disabledCode, disabledOutput) = await RunApiAsync(database, "clients", "disable", clientId);
        using var afterDisable = await api.RequestTokenAsync(clientId, newSecret);
        var (unknownCode, unknownOutput) = await RunApiAsync(database, "clients", "disable", "c-nobody");
        var (adminCode, adminOutput) = await RunApiAsync(database, "clients", "rotate-secret", ApiFactory.AdminClientId);
        Assert.Multiple(() =>
        {
            Assert.That(disabledCode, Is.Zero, disabledOutput);
            Assert.That(afterDisable.IsSuccessStatusCode, Is.False, "a disabled client obtains no token");
            Assert.That(unknownCode, Is.EqualTo(1));
            Assert.That(unknownOutput, Does.Contain("No such client"));
            Assert.That(adminCode, Is.EqualTo(1), "the bootstrap administrator's secret follows its setting");
            Assert.That(adminOutput, Does.Contain("Bootstrap:AdminClientSecret").And.Not.Contain("   at "));
        });

        var export = Path.Combine(Path.GetDirectoryName(factory.SqlitePath)!, "export.ndjson");
        var (exportCode, exportOutput) = await RunApiAsync(database, "audit", "export", "--output", export);
        Assert.That(exportCode, Is.Zero, exportOutput);
        var lines = await File.ReadAllLinesAsync(export);
        var operatorRecords = lines.Select(l => JsonDocument.Parse(l).RootElement)
            .Where(e => e.GetProperty("type").GetString() == "event" && e.GetProperty("clientId").GetString()!.StartsWith("operator:", StringComparison.Ordinal))
            .Select(e => $"{e.GetProperty("action").GetString()} {e.GetProperty("resourceId").GetString()}").ToList();
        Assert.Multiple(() =>
        {
            Assert.That(JsonDocument.Parse(lines[0]).RootElement.GetProperty("contiguous").GetBoolean(), Is.True);
            Assert.That(JsonDocument.Parse(lines[^1]).RootElement.GetProperty("type").GetString(), Is.EqualTo("end"));
            Assert.That(operatorRecords, Is.EqualTo(new[]
            {
                $"client.create {clientId}", $"client.list {organisationId}", $"client.rotate-secret {clientId}", $"client.disable {clientId}", "audit.export *",
            }), "each operation in the log, in order, under the operator's name (the refused ones changed nothing)");
            Assert.That(string.Join('\n', lines), Does.Not.Contain(secret).And.Not.Contain(newSecret), "no secret in the log");
        });
    }

    [Test]
    public async Task An_operator_s_command_refuses_a_stray_argument_and_a_database_not_yet_migrated_and_leaves_the_schema_alone()
    {
        var directory = Directory.CreateTempSubdirectory("etatmajor-cli-").FullName;
        try
        {
            var settings = new Dictionary<string, string>
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Testing", ["ConnectionStrings__EtatMajor"] = $"Data Source={Path.Combine(directory, "cli.db")}",
            };
            var (strayCode, stray) = await RunApiAsync(settings, "clients", "disable", "c-one", "c-two");
            var (freshCode, fresh) = await RunApiAsync(settings, "--data", directory, "clients", "list");
            Assert.Multiple(() =>
            {
                Assert.That(strayCode, Is.EqualTo(2), stray);
                Assert.That(stray, Does.Contain("Unexpected argument 'c-two'"), "not c-one disabled and c-two silently ignored");
                Assert.That(freshCode, Is.EqualTo(1), "an option before the command still runs the command, not the server");
                Assert.That(fresh, Does.Contain("run `migrate` first"));
            });
            using var connection = new SqliteConnection($"Data Source={Path.Combine(directory, "cli.db")}");
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE name = 'db_migrations'";
            Assert.That((long)command.ExecuteScalar()!, Is.Zero, "only `migrate` changes the schema");
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    [Test]
    public async Task The_migrate_command_applies_the_migrations_and_exits()
    {
        var directory = Directory.CreateTempSubdirectory("etatmajor-migrate-").FullName;
        var file = Path.Combine(directory, "migrated.db");
        var (exitCode, output) = await RunApiAsync(new()
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Testing",
            ["ConnectionStrings__EtatMajor"] = $"Data Source={file}",
        }, "migrate");
        Assert.That(exitCode, Is.Zero, output);
        using var connection = new SqliteConnection($"Data Source={file}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM db_migrations";
        Assert.That((long)command.ExecuteScalar()!, Is.GreaterThan(0));
        command.CommandText = "PRAGMA journal_mode";
        Assert.That(command.ExecuteScalar(), Is.EqualTo("wal"));
        command.CommandText = "SELECT COUNT(*) FROM gov_organisations";
        Assert.That((long)command.ExecuteScalar()!, Is.Zero, "migrate only migrates: no bootstrap, no server");
    }

    [Test]
    public async Task Ready_reports_503_while_migrations_are_not_applied()
    {
        using var factory = new ApiFactory(extra: new Dictionary<string, string?>
        {
            ["Database:MigrateOnStartup"] = "false", ["Bootstrap:AdminClientId"] = null, ["Bootstrap:AdminClientSecret"] = null,
        });
        using var ready = await factory.CreateClient().GetAsync("/health/ready");
        Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        using var live = await factory.CreateClient().GetAsync("/health/live");
        Assert.That(live.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task The_bootstrap_secret_follows_the_setting_across_restarts()
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("etatmajor-rotate-").FullName, "rotate.db");
        using (var first = new ApiFactory(extra: new Dictionary<string, string?> { ["ConnectionStrings:EtatMajor"] = $"Data Source={file}" }))
        {
            await new TestApi(first).TokenAsync(ApiFactory.AdminClientId, ApiFactory.AdminSecret);
        }
        using var second = new ApiFactory(extra: new Dictionary<string, string?>
        {
            ["ConnectionStrings:EtatMajor"] = $"Data Source={file}",
            ["Bootstrap:AdminClientSecret"] = "a-new-secret-after-rotation",
        });
        var api = new TestApi(second);
        await api.TokenAsync(ApiFactory.AdminClientId, "a-new-secret-after-rotation");
        using var old = await api.RequestTokenAsync(ApiFactory.AdminClientId, ApiFactory.AdminSecret);
        Assert.That(JsonDocument.Parse(await old.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString(), Is.EqualTo("invalid_client"));
    }
}
