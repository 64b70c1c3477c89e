namespace EtatMajor.Modules.PenalPolicy.Domain;

/// <summary>The two deadlines of the penal policy, as of a day.</summary>
internal static class Deadlines
{
    /// <summary>POL-1: a year with a briefing is held; a past year without one is missing; the current year is pending until one is held.</summary>
    public static BriefingStatus Briefing(int year, long briefingsHeld, DateOnly today) =>
        briefingsHeld > 0 ? BriefingStatus.Held : year < today.Year ? BriefingStatus.Missing : BriefingStatus.Pending;

    /// <summary>POL-2: delivered by the due date, on time; after it, late; not delivered and the due date past, overdue; else pending.</summary>
    public static SynthesisStatus Synthesis(DateOnly dueOn, DateOnly? deliveredOn, DateOnly today) =>
        deliveredOn is { } delivered
            ? delivered <= dueOn ? SynthesisStatus.OnTime : SynthesisStatus.Late
            : today > dueOn ? SynthesisStatus.Overdue : SynthesisStatus.Pending;

    /// <summary>
    /// The instant a year's obligations are read at: its last instant for a past year (the procureurs who co-chaired the
    /// instance on 31 December owe that year's briefing), now for the current year.
    /// </summary>
    public static DateTimeOffset AsOfYear(int year, DateTimeOffset now) =>
        year < LegalCalendar.DateOf(now).Year ? LegalCalendar.StartOf(new DateOnly(year + 1, 1, 1)).AddTicks(-1) : now;

    /// <summary>POL-2 (R132-6-1 II): "dans le mois qui suit" its communication to the procureur général, by the calendar-month rule.</summary>
    public static DateOnly SynthesisDueOn(DateOnly communicatedOn) => LegalCalendar.AddCalendarMonths(communicatedOn, 1);
}

internal sealed class BriefingRow
{
    public const string Columns =
        $"b.id AS {nameof(Id)}, b.instance_id AS {nameof(InstanceId)}, b.procureur_id AS {nameof(ProcureurId)}, b.year AS {nameof(Year)}, " +
        $"b.held_on AS {nameof(HeldOn)}, b.meeting_id AS {nameof(MeetingId)}, b.summary AS {nameof(Summary)}, b.recorded_at AS {nameof(RecordedAt)}";

    public Guid Id { get; init; }
    public Guid InstanceId { get; init; }
    public Guid ProcureurId { get; init; }
    public long Year { get; init; }
    public DateOnly HeldOn { get; init; }
    public Guid? MeetingId { get; init; }
    public string Summary { get; init; } = "";
    public DateTimeOffset RecordedAt { get; init; }

    public BriefingDto ToDto() => new(Id, InstanceId, ProcureurId, (int)Year, HeldOn, MeetingId, Summary, RecordedAt);
}

internal static class BriefingSql
{
    public const string Insert =
        "INSERT INTO pp_briefings (id, instance_id, procureur_id, year, held_on, meeting_id, summary, recorded_at) " +
        "VALUES (@Id, @InstanceId, @ProcureurId, @Year, @HeldOn, @MeetingId, @Summary, @RecordedAt)";

    public const string One = $"SELECT {BriefingRow.Columns} FROM pp_briefings b WHERE b.id = @Id";

    public const string OfInstanceYear = $"SELECT {BriefingRow.Columns} FROM pp_briefings b WHERE b.instance_id = @InstanceId AND b.year = @Year ORDER BY b.held_on, b.id";

    /// <summary>For the overview: per instance and procureur, how many briefings in the year and the last one.</summary>
    public const string CountsOfYear =
        $"SELECT b.instance_id AS {nameof(BriefingCount.InstanceId)}, b.procureur_id AS {nameof(BriefingCount.ProcureurId)}, COUNT(*) AS {nameof(BriefingCount.Held)}, " +
        $"MAX(b.held_on) AS {nameof(BriefingCount.LastHeldOn)} FROM pp_briefings b WHERE b.year = @Year GROUP BY b.instance_id, b.procureur_id";
}

internal sealed class BriefingCount
{
    public Guid InstanceId { get; init; }
    public Guid ProcureurId { get; init; }
    public long Held { get; init; }
    public DateOnly LastHeldOn { get; init; }
}

internal sealed class ReportRow
{
    public const string Columns =
        $"r.id AS {nameof(Id)}, r.procureur_id AS {nameof(ProcureurId)}, r.year AS {nameof(Year)}, r.communicated_on AS {nameof(CommunicatedOn)}, " +
        $"r.synthesis_due_on AS {nameof(SynthesisDueOn)}, r.recorded_at AS {nameof(RecordedAt)}";

    public Guid Id { get; init; }
    public Guid ProcureurId { get; init; }
    public long Year { get; init; }
    public DateOnly CommunicatedOn { get; init; }
    public DateOnly SynthesisDueOn { get; init; }
    public DateTimeOffset RecordedAt { get; init; }
}

/// <summary>An instance a synthesis is due to, and its delivery if any.</summary>
internal sealed class ReportInstanceRow
{
    public Guid ReportId { get; init; }
    public Guid ProcureurId { get; init; }
    public DateOnly SynthesisDueOn { get; init; }
    public Guid InstanceId { get; init; }
    public string InstanceKind { get; init; } = "";
    public DateOnly? DeliveredOn { get; init; }
    public Guid? SynthesisId { get; init; }
}

internal static class ReportSql
{
    public const string Insert =
        "INSERT INTO pp_reports (id, procureur_id, year, communicated_on, synthesis_due_on, recorded_at) " +
        "VALUES (@Id, @ProcureurId, @Year, @CommunicatedOn, @SynthesisDueOn, @RecordedAt)";

    public const string InsertInstance = "INSERT INTO pp_report_instances (report_id, instance_id, instance_kind) VALUES (@ReportId, @InstanceId, @InstanceKind)";

    public const string One = $"SELECT {ReportRow.Columns} FROM pp_reports r WHERE r.id = @Id";

    public const string OfProcureurYear = "SELECT COUNT(*) FROM pp_reports WHERE procureur_id = @ProcureurId AND year = @Year";

    private const string InstanceSelect =
        $"SELECT ri.report_id AS {nameof(ReportInstanceRow.ReportId)}, r.procureur_id AS {nameof(ReportInstanceRow.ProcureurId)}, " +
        $"r.synthesis_due_on AS {nameof(ReportInstanceRow.SynthesisDueOn)}, ri.instance_id AS {nameof(ReportInstanceRow.InstanceId)}, " +
        $"ri.instance_kind AS {nameof(ReportInstanceRow.InstanceKind)}, d.delivered_on AS {nameof(ReportInstanceRow.DeliveredOn)}, " +
        $"d.synthesis_id AS {nameof(ReportInstanceRow.SynthesisId)} " +
        "FROM pp_report_instances ri JOIN pp_reports r ON r.id = ri.report_id " +
        "LEFT JOIN pp_synthesis_deliveries d ON d.report_id = ri.report_id AND d.instance_id = ri.instance_id ";

    public const string InstancesOf = InstanceSelect + "WHERE ri.report_id = @Id ORDER BY ri.instance_kind, ri.instance_id";

    /// <summary>For the overview: every instance a synthesis of the year's reports is due to.</summary>
    public const string InstancesOfYear = InstanceSelect + "WHERE r.year = @Year ORDER BY ri.instance_id, r.procureur_id";

    public static async Task<AnnualReportDto> ToDtoAsync(IDbSession db, ReportRow row, DateOnly today, CancellationToken cancellationToken)
    {
        var instances = await db.QueryAsync<ReportInstanceRow>(InstancesOf, new { row.Id }, cancellationToken);
        return new AnnualReportDto(row.Id, row.ProcureurId, (int)row.Year, row.CommunicatedOn, row.SynthesisDueOn, today, LegalRules.Pol2.Id, LegalRules.Pol2.LegalBasis,
            instances.Select(i => new ReportInstanceDto(i.InstanceId, Kebab.Parse<InstanceKind>(i.InstanceKind),
                Deadlines.Synthesis(row.SynthesisDueOn, i.DeliveredOn, today), i.DeliveredOn, i.SynthesisId)).ToList());
    }
}

internal sealed class SynthesisRow
{
    public const string Columns =
        $"s.id AS {nameof(Id)}, s.report_id AS {nameof(ReportId)}, r.procureur_id AS {nameof(ProcureurId)}, r.year AS {nameof(Year)}, " +
        $"r.synthesis_due_on AS {nameof(SynthesisDueOn)}, s.text AS {nameof(Text)}, s.delivered_at AS {nameof(DeliveredAt)}";

    public Guid Id { get; init; }
    public Guid ReportId { get; init; }
    public Guid ProcureurId { get; init; }
    public long Year { get; init; }
    public DateOnly SynthesisDueOn { get; init; }
    public string Text { get; init; } = "";
    public DateTimeOffset DeliveredAt { get; init; }
}

internal sealed class DeliveryRow
{
    public Guid SynthesisId { get; init; }
    public Guid InstanceId { get; init; }
    public DateOnly DeliveredOn { get; init; }
}

internal static class SynthesisSql
{
    public const string Insert = "INSERT INTO pp_syntheses (id, report_id, text, delivered_at) VALUES (@Id, @ReportId, @Text, @DeliveredAt)";

    public const string InsertDelivery =
        "INSERT INTO pp_synthesis_deliveries (report_id, instance_id, synthesis_id, delivered_at, delivered_on) " +
        "VALUES (@ReportId, @InstanceId, @SynthesisId, @DeliveredAt, @DeliveredOn)";

    public const string InsertAttachment =
        "INSERT INTO pp_synthesis_attachments (synthesis_id, position, file_name, media_type, document_kind, size_bytes, sha256, content) " +
        "VALUES (@SynthesisId, @Position, @FileName, @MediaType, @DocumentKind, @SizeBytes, @Sha256, @Content)";

    public const string Delivered = "SELECT COUNT(*) FROM pp_synthesis_deliveries WHERE report_id = @ReportId AND instance_id = @InstanceId";

    public const string One = $"SELECT {SynthesisRow.Columns} FROM pp_syntheses s JOIN pp_reports r ON r.id = s.report_id WHERE s.id = @Id";

    /// <summary>The syntheses delivered to an instance, in the order of delivery, after a keyset cursor; optionally of one year.</summary>
    public const string OfInstance =
        $"SELECT {SynthesisRow.Columns} FROM pp_synthesis_deliveries d JOIN pp_syntheses s ON s.id = d.synthesis_id JOIN pp_reports r ON r.id = s.report_id " +
        "WHERE d.instance_id = @InstanceId AND (@Year IS NULL OR r.year = @Year) " +
        "AND (@AfterAt IS NULL OR s.delivered_at > @AfterAt OR (s.delivered_at = @AfterAt AND s.id > @AfterId)) " +
        "ORDER BY s.delivered_at, s.id LIMIT @Take";

    public const string Deliveries =
        $"SELECT synthesis_id AS {nameof(DeliveryRow.SynthesisId)}, instance_id AS {nameof(DeliveryRow.InstanceId)}, delivered_on AS {nameof(DeliveryRow.DeliveredOn)} " +
        "FROM pp_synthesis_deliveries WHERE synthesis_id IN @Ids ORDER BY instance_id";

    public const string Attachments =
        $"SELECT synthesis_id AS {nameof(AttachmentRow.SynthesisId)}, position AS {nameof(AttachmentRow.Position)}, file_name AS {nameof(AttachmentRow.FileName)}, " +
        $"media_type AS {nameof(AttachmentRow.MediaType)}, document_kind AS {nameof(AttachmentRow.DocumentKind)}, size_bytes AS {nameof(AttachmentRow.SizeBytes)}, " +
        $"sha256 AS {nameof(AttachmentRow.Sha256)} FROM pp_synthesis_attachments WHERE synthesis_id IN @Ids ORDER BY synthesis_id, position";

    public const string Content = "SELECT content FROM pp_synthesis_attachments WHERE synthesis_id = @SynthesisId AND position = @Position";

    /// <summary>The syntheses with their deliveries (all, or those to one instance) and their attachments' descriptions.</summary>
    public static async Task<IReadOnlyList<SynthesisDto>> ToDtosAsync(IDbSession db, IReadOnlyList<SynthesisRow> rows, Guid? instanceId, DateOnly today,
        CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return [];
        }
        var ids = new { Ids = SqlLists.Ids(rows.Select(r => r.Id)) };
        var deliveries = (await db.QueryAsync<DeliveryRow>(Deliveries, ids, cancellationToken))
            .Where(d => instanceId is null || d.InstanceId == instanceId).ToLookup(d => d.SynthesisId);
        var attachments = (await db.QueryAsync<AttachmentRow>(Attachments, ids, cancellationToken)).ToLookup(a => a.SynthesisId);
        return rows.Select(r => new SynthesisDto(r.Id, r.ReportId, r.ProcureurId, (int)r.Year, r.SynthesisDueOn, r.Text, r.DeliveredAt,
            deliveries[r.Id].Select(d => new SynthesisDeliveryDto(d.InstanceId, d.DeliveredOn, Deadlines.Synthesis(r.SynthesisDueOn, d.DeliveredOn, today))).ToList(),
            attachments[r.Id].Select(a => new SynthesisAttachmentDto((int)a.Position, a.FileName, a.MediaType, a.DocumentKind, a.SizeBytes, a.Sha256)).ToList()))
            .ToList();
    }
}

internal sealed class AttachmentRow
{
    public Guid SynthesisId { get; init; }
    public long Position { get; init; }
    public string FileName { get; init; } = "";
    public string MediaType { get; init; } = "";
    public string DocumentKind { get; init; } = "";
    public long SizeBytes { get; init; }
    public string Sha256 { get; init; } = "";
}

internal static class ReminderSql
{
    public const string Insert =
        "INSERT INTO pp_reminders (id, kind, instance_id, procureur_id, year, report_id, due_on, marked_on, resolved_on) " +
        "VALUES (@Id, @Kind, @InstanceId, @ProcureurId, @Year, @ReportId, @DueOn, @MarkedOn, NULL)";

    /// <summary>What the procureur did resolves the reminder it answers (a briefing held, a synthesis delivered, even late).</summary>
    public const string Resolve =
        "UPDATE pp_reminders SET resolved_on = @Today WHERE kind = @Kind AND instance_id = @InstanceId AND procureur_id = @ProcureurId AND year = @Year AND resolved_on IS NULL";

    public const string OfYear =
        $"SELECT kind AS {nameof(ReminderRow.Kind)}, instance_id AS {nameof(ReminderRow.InstanceId)}, procureur_id AS {nameof(ReminderRow.ProcureurId)}, " +
        $"year AS {nameof(ReminderRow.Year)}, report_id AS {nameof(ReminderRow.ReportId)}, due_on AS {nameof(ReminderRow.DueOn)}, " +
        $"marked_on AS {nameof(ReminderRow.MarkedOn)}, resolved_on AS {nameof(ReminderRow.ResolvedOn)} " +
        "FROM pp_reminders WHERE year = @Year ORDER BY marked_on, kind, instance_id, procureur_id";

    public static Task ResolveAsync(IDbSession db, ReminderKind kind, Guid instanceId, Guid procureurId, int year, DateOnly today, CancellationToken cancellationToken) =>
        db.ExecuteAsync(Resolve, new { Kind = kind.ToKebab(), InstanceId = instanceId, ProcureurId = procureurId, Year = year, Today = today }, cancellationToken);
}

internal sealed class ReminderRow
{
    public string Kind { get; init; } = "";
    public Guid InstanceId { get; init; }
    public Guid ProcureurId { get; init; }
    public long Year { get; init; }
    public Guid? ReportId { get; init; }
    public DateOnly DueOn { get; init; }
    public DateOnly MarkedOn { get; init; }
    public DateOnly? ResolvedOn { get; init; }

    public ReminderDto ToDto() => new(Kebab.Parse<ReminderKind>(Kind), InstanceId, ProcureurId, (int)Year, ReportId, DueOn, MarkedOn, ResolvedOn);
}
