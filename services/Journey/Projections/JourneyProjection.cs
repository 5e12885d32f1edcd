using System.Globalization;
using PatientJourney.Contracts;
using PatientJourney.Contracts.Chemotherapy;
using PatientJourney.Contracts.Diagnosis;
using PatientJourney.Contracts.Imaging;
using PatientJourney.Contracts.Interventional;
using PatientJourney.Journey.Surveillance;

namespace PatientJourney.Journey.Projections;

public static class JourneyProjection
{
    // Doxorubicin label (cumulative-dose cardiomyopathy table; Swain et al., Cancer 2003): cardiac monitoring and
    // dexrazoxane considered from 300 mg/m2, risk rising steeply at 450, lifetime ceiling 550 mg/m2.
    public static readonly IReadOnlyList<(decimal MgPerM2, string Severity, string Advice)> DoxorubicinThresholds =
    [
        (550m, "alert", "past the 550 mg/m2 lifetime ceiling"),
        (450m, "alert", "at or past 450 mg/m2: high risk of cardiomyopathy"),
        (300m, "warning", "at or past 300 mg/m2: cardiac monitoring, consider dexrazoxane"),
    ];

    /// <summary>CTCAE v5: grade 3 is severe or medically significant; a clinician must see every one.</summary>
    public const int SevereCtcaeGrade = 3;

    /// <summary>Clinical order: occurredOn, then recordedAt, then eventId so that ties are stable.</summary>
    public static IReadOnlyList<ClinicalEvent> InClinicalOrder(IEnumerable<ClinicalEvent> events) =>
        events.OrderBy(e => e.OccurredOn).ThenBy(e => e.RecordedAt).ThenBy(e => e.EventId).ToList();

    /// <summary>The journey's entries, one per event, in clinical order.</summary>
    public static IReadOnlyList<JourneyEntry> Entries(IEnumerable<ClinicalEvent> stream) =>
        InClinicalOrder(stream).Select(e => new JourneyEntry(e.EventId, e.Type, e.Department, e.OccurredOn, e.RecordedAt, Summarise(e))).ToList();

    public static PatientJourneyView Project(string patientId, IEnumerable<ClinicalEvent> stream, long version)
    {
        var events = InClinicalOrder(stream);
        var registration = events.OfType<PatientRegistered>().FirstOrDefault();
        var dox = Doxorubicin(events);
        var latestResponse = events.OfType<ResponseAssessed>().LastOrDefault();
        var schedule = SurveillanceEngine.Compute(events, DateOnly.MaxValue);
        return new PatientJourneyView
        {
            Id = patientId,
            DisplayName = registration?.DisplayName,
            Registered = registration is not null,
            CumulativeDoxorubicinMgPerM2 = dox,
            LatestResponse = latestResponse is null ? null
                : new LatestResponse(RecistCode(latestResponse.Category), latestResponse.OccurredOn, latestResponse.ChangeFromBaselinePercent, latestResponse.EventId),
            Flags = Flags(events, registration, dox, schedule).ToList(),
            Schedule = schedule,
            LatestOccurredOn = events.Count == 0 ? DateOnly.MinValue : events[^1].OccurredOn,
            Version = version,
        };
    }

    public static CumulativeDoxorubicin Doxorubicin(IReadOnlyList<ClinicalEvent> events)
    {
        var systemic = events.OfType<ChemoCycleCompleted>()
            .GroupBy(c => c.RegimenId)
            .Sum(g => g.Max(c => c.CumulativeDoxorubicinMgPerM2));
        var bsa = events.Select(e => e switch
        {
            ChemoRegimenStarted s => (decimal?)s.BsaM2,
            ChemoCycleCompleted c => c.BsaM2,
            _ => null,
        }).LastOrDefault(b => b is not null);
        var taceMg = events.OfType<TacePerformed>().Where(t => t.Drug.Equals("doxorubicin", StringComparison.OrdinalIgnoreCase)).Sum(t => t.DoseMg);
        decimal? locoregional = taceMg == 0m ? 0m : bsa is { } m2 ? Math.Round(taceMg / m2, 1) : null;
        return new CumulativeDoxorubicin(Math.Round(systemic, 1), locoregional, Math.Round(systemic + (locoregional ?? 0m), 1));
    }

    private static IEnumerable<JourneyFlag> Flags(IReadOnlyList<ClinicalEvent> events, PatientRegistered? registration, CumulativeDoxorubicin dox, Schedule schedule)
    {
        // Total includes systemic, so its threshold is the higher one reached; the message shows both.
        foreach (var (mgPerM2, severity, advice) in DoxorubicinThresholds)
        {
            if (dox.Total < mgPerM2) continue;
            yield return new JourneyFlag($"doxorubicin-{mgPerM2:0}", severity,
                $"Cumulative doxorubicin {Num(dox.Total)} mg/m2 (systemic {Num(dox.Systemic)}, locoregional {Num(dox.Locoregional ?? 0m)}) {advice}");
            break;
        }
        if (dox.Locoregional is null)
            yield return new JourneyFlag("bsa-unknown", "warning", "TACE doxorubicin cannot be expressed per m2: no body surface area is known");

        var firstTreatment = events.FirstOrDefault(e => e is ChemoRegimenStarted or ChemoCycleCompleted or TacePerformed or RfaPerformed);
        foreach (var diagnosis in events.OfType<DiagnosisConfirmed>())
            if (firstTreatment is not null && diagnosis.OccurredOn > firstTreatment.OccurredOn)
                yield return new JourneyFlag("diagnosis-after-treatment", "warning",
                    $"Diagnosis dated {diagnosis.OccurredOn:yyyy-MM-dd} is after the treatment it led to ({firstTreatment.Type} on {firstTreatment.OccurredOn:yyyy-MM-dd})",
                    diagnosis.EventId);

        foreach (var (e, term, grade) in SevereToxicities(events))
            yield return new JourneyFlag("ctcae-grade-3-or-higher", grade >= 4 ? "alert" : "warning",
                $"{term}, CTCAE grade {grade} ({e.Type} on {e.OccurredOn:yyyy-MM-dd})", e.EventId);

        // Treatment after surveillance began, other than the sessions an MDT planned, means the plan started too early.
        var plannedSessions = schedule.Items.Where(i => i.CompletedByEventId is not null).Select(i => i.CompletedByEventId!.Value).ToHashSet();
        var lastTreatment = events.LastOrDefault(e => e is ChemoRegimenStarted or ChemoCycleCompleted or TacePerformed or RfaPerformed && !plannedSessions.Contains(e.EventId));
        var plan = events.OfType<SurveillancePlanStarted>().LastOrDefault();
        if (plan is not null && lastTreatment is not null && plan.StartsOn < lastTreatment.OccurredOn)
            yield return new JourneyFlag("surveillance-before-last-treatment", "warning",
                $"Surveillance plan started {plan.StartsOn:yyyy-MM-dd}, before the last treatment ({lastTreatment.Type} on {lastTreatment.OccurredOn:yyyy-MM-dd})",
                plan.EventId);

        if (registration is not null)
            foreach (var e in events.Where(e => e.OccurredOn < registration.BirthDate))
                yield return new JourneyFlag("before-birth", "alert", $"{e.Type} is dated before the patient's birth date", e.EventId);
    }

    private static IEnumerable<(ClinicalEvent Event, string Term, int Grade)> SevereToxicities(IEnumerable<ClinicalEvent> events) =>
        events.SelectMany(e => (e switch
        {
            AdverseEventRecorded a => [new GradedTerm(a.Term, a.Grade)],
            TacePerformed t => t.Toxicities,
            RfaPerformed r => r.Complications,
            _ => [],
        }).Where(t => t.Grade >= SevereCtcaeGrade).Select(t => (e, t.Term, t.Grade)));

    public static string RecistCode(RecistCategory category) => category switch
    {
        RecistCategory.CompleteResponse => "CR",
        RecistCategory.PartialResponse => "PR",
        RecistCategory.StableDisease => "SD",
        _ => "PD",
    };

    /// <summary>One line a clinician can scan; identifiers and measures only, never names or free text.</summary>
    public static string Summarise(ClinicalEvent e) => e switch
    {
        PatientRegistered => "Patient registered",
        DiagnosisConfirmed d => $"Diagnosis: {d.Histology}{(d.Differentiation is null ? "" : $", {d.Differentiation}")}"
                                + (d.MetastaticSites.Count > 0 ? $"; metastatic to {string.Join(", ", d.MetastaticSites)}" : ""),
        PerformanceStatusRecorded p => $"ECOG {p.Ecog}",
        MultidisciplinaryDecisionRecorded m => "MDT decision" + (m.PlannedProcedures.Count == 0 ? ""
            : ": " + string.Join(", ", m.PlannedProcedures.Select(p => $"{p.Sessions} x {ProcedureName(p.Procedure)}"))),
        SurveillancePlanStarted s => $"Surveillance plan {s.Protocol} started",
        ClinicVisitRecorded v => "Clinic visit" + (v.Ecog is { } ecog ? $", ECOG {ecog}" : ""),
        ChemoRegimenStarted r => $"Regimen {r.RegimenId} started: {r.Name}, q{r.CycleLengthDays}d, BSA {Num(r.BsaM2)} m2",
        ChemoCycleCompleted c => $"Cycle {c.CycleNumber} of {c.RegimenId} completed: "
                                 + string.Join(", ", c.Drugs.Where(d => d.Purpose == DrugPurpose.Antineoplastic).Select(d => $"{d.Drug} {Num(d.DoseMg)} mg"))
                                 + $"; cumulative doxorubicin {Num(c.CumulativeDoxorubicinMgPerM2)} mg/m2",
        ChemoRegimenStopped s => $"Regimen {s.RegimenId} stopped",
        AdverseEventRecorded a => $"Adverse event: {a.Term}, CTCAE grade {a.Grade}",
        TacePerformed t => $"TACE: {t.Drug} {Num(t.DoseMg)} mg" + (t.Toxicities.Count > 0 ? $"; toxicity up to grade {t.Toxicities.Max(x => x.Grade)}" : ""),
        RfaPerformed r => $"RFA of {r.Target}: technical success {(r.TechnicalSuccess ? "yes" : "no")}"
                          + (r.Complications.Count > 0 ? $"; complication up to grade {r.Complications.Max(x => x.Grade)}" : ""),
        PetCtResulted p => $"PET/CT ({p.Indication.ToString().ToLowerInvariant()}): "
                           + (p.Lesions.Count == 0 ? "no avid lesion" : $"{p.Lesions.Count} lesion(s), peak SUVmax {Num(p.Lesions.Max(l => l.SuvMax))}")
                           + (p.MetabolicResponse is { } m ? $"; EORTC {MetabolicCode(m.Category)} ({Num(m.PeakChangePercent)}% peak SUVmax from staging)" : ""),
        CtResulted c => $"CT {c.Region}: " + (c.TargetLesions.Count == 0 ? "no target lesion" : $"sum of target diameters {Num(c.TargetLesions.Sum(l => l.LongestDiameterMm))} mm")
                        + (c.NewLesions ? "; new lesions" : ""),
        ResponseAssessed r => $"RECIST 1.1 {RecistCode(r.Category)}: {Num(r.ChangeFromBaselinePercent)}% from baseline, {Num(r.ChangeFromNadirPercent)}% from nadir",
        _ => e.Type,
    };

    public static string MetabolicCode(MetabolicCategory category) => category switch
    {
        MetabolicCategory.CompleteMetabolicResponse => "CMR",
        MetabolicCategory.PartialMetabolicResponse => "PMR",
        MetabolicCategory.StableMetabolicDisease => "SMD",
        _ => "PMD",
    };

    private static string ProcedureName(ProcedureKind p) => p switch
    {
        ProcedureKind.Tace => "TACE",
        ProcedureKind.Rfa => "RFA",
        ProcedureKind.Ct => "CT",
        _ => "PET/CT",
    };

    private static string Num(decimal value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
