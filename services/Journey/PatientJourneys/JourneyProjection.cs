using System.Text.Json;
using PatientJourney.Contracts;
using PatientJourney.Contracts.Chemotherapy;
using PatientJourney.Contracts.Diagnosis;
using PatientJourney.Contracts.Imaging;
using PatientJourney.Contracts.Interventional;
using PatientJourney.Journey.Cardiac;
using PatientJourney.Journey.Exposures;
using PatientJourney.Journey.Catalogue;
using PatientJourney.Journey.Responses;
using PatientJourney.Journey.Surveillance;
using static PatientJourney.Journey.Catalogue.ClinicalCodes;
using PatientJourney.Journey.Merging;

namespace PatientJourney.Journey.PatientJourneys;

public static class JourneyProjection
{
    // Doxorubicin label (cumulative-dose cardiomyopathy table; Swain et al., Cancer 2003): cardiac monitoring and
    // dexrazoxane considered from 300 mg/m2, risk rising steeply at 450, lifetime ceiling 550 mg/m2.
    public static readonly IReadOnlyList<(decimal MgPerM2, string Severity, string Advice)> DoxorubicinThresholds =
    [
        (550m, "alert", "at or past the 550 mg/m2 lifetime ceiling"),
        (450m, "alert", "at or past 450 mg/m2: high risk of cardiomyopathy"),
        (300m, "warning", "at or past 300 mg/m2: cardiac monitoring, consider dexrazoxane"),
    ];

    /// <summary>CTCAE v5: grade 3 is severe or medically significant; a clinician must see every one.</summary>
    public const int SevereCtcaeGrade = 3;

    /// <summary>Department of the entries the journey derives itself (responses).</summary>
    public const string DerivedBy = "journey";

    /// <summary>
    /// The journey's entries in clinical order: one per fact that occurred by <paramref name="asOf"/>, corrected ones
    /// included and marked (a retraction is told on the fact it retracts), each scan that stands followed by the response
    /// derived from the facts that stand.
    /// </summary>
    public static IReadOnlyList<JourneyEntry> Entries(IReadOnlyList<ClinicalEvent> record, DateOnly? asOf = null)
    {
        var day = asOf ?? DateOnly.MaxValue;
        var corrections = Corrections.Of(record);
        var events = ClinicalOrder.Sort(record.Where(e => e is not IFactRetraction && e.OccurredOn <= day));
        var responses = ResponseHistory.Derive(ClinicalOrder.Sort(Corrections.Standing(record).Where(e => e.OccurredOn <= day)));
        var entries = new List<JourneyEntry>(events.Count + responses.Recist.Count + responses.Metabolic.Count);
        foreach (var e in events)
        {
            var meaning = JourneyEvents.Of(e);
            if (meaning.IsRetired) continue;
            var correction = corrections.GetValueOrDefault(e.EventId);
            entries.Add(new JourneyEntry(e.EventId, e.Type, e.Department, e.OccurredOn, e.RecordedAt, meaning.Summarise(e))
            {
                Retracted = correction?.RetractedBy is not null,
                AmendedBy = correction?.AmendedBy?.EventId,
                Amends = e.Amends,
                Correction = correction?.RetractedBy is IFactRetraction retraction ? new EntryCorrection(retraction.Reason, correction.RetractedBy.RecordedBy, correction.RetractedBy.RecordedAt)
                    : correction?.AmendedBy is { } amendment ? new EntryCorrection(amendment.AmendmentReason!, amendment.RecordedBy, amendment.RecordedAt)
                    : e.AmendmentReason is { } why ? new EntryCorrection(why, e.RecordedBy, e.RecordedAt) : null,
            });
            if (responses.RecistOf(e.EventId) is { } recist)
                entries.Add(Derived(e, "RecistResponse", ResponseSummaries.Recist(recist)));
            if (responses.MetabolicOf(e.EventId) is { } metabolic)
                entries.Add(Derived(e, "MetabolicResponse", ResponseSummaries.Metabolic(metabolic)));
        }
        return entries;
    }

    private static JourneyEntry Derived(ClinicalEvent scan, string type, string summary) =>
        new(FhirEntries.DeterministicId($"{scan.EventId}/{type}"), type, DerivedBy, scan.OccurredOn, scan.RecordedAt, summary, scan.EventId);

    /// <summary>The patient's read model from the whole stream: every value derived from the facts that stand.</summary>
    public static PatientJourneyView Project(string patientId, IEnumerable<ClinicalEvent> stream, long version)
    {
        var events = ClinicalOrder.Sort(Corrections.Standing(stream as IReadOnlyList<ClinicalEvent> ?? stream.ToList()));
        var registration = MergedRecords.RegistrationOf(events, patientId);
        var dox = Doxorubicin(events);
        var latestResponse = ResponseHistory.Derive(events).Recist.LastOrDefault();
        var schedule = SurveillanceEngine.Compute(events, DateOnly.MaxValue);
        var death = Death.Of(events);
        return new PatientJourneyView
        {
            Id = patientId,
            DisplayName = registration?.DisplayName,
            Registered = registration is not null,
            CumulativeDoxorubicinMgPerM2 = dox,
            LatestResponse = latestResponse is null ? null
                : new LatestResponse(ResponseSummaries.Code(latestResponse.Category), latestResponse.AssessedOn, latestResponse.ChangeFromBaselinePercent, latestResponse.CtEventId),
            Flags = Flags(events, registration, dox, schedule).Concat(DeathFlags(events, death)).ToList(),
            Schedule = schedule,
            LatestOccurredOn = events.Count == 0 ? DateOnly.MinValue : events[^1].OccurredOn,
            Deceased = death is not null,
            DiedOn = death?.DiedOn,
            Navigator = NavigatorOf(events),
            Version = version,
        };
    }

    public static CumulativeDoxorubicin Doxorubicin(IReadOnlyList<ClinicalEvent> events)
    {
        var regimens = events.OfType<ChemoCycleCompleted>().GroupBy(c => c.RegimenId).ToList();
        var systemic = regimens.Sum(g => g.Max(c => c.CumulativeDoxorubicinMgPerM2));
        // A cycle recorded before the formulary counted doxorubicin only, so its equivalent is its doxorubicin.
        var systemicEquivalent = regimens.Sum(g => g.Max(c => c.CumulativeDoxorubicinEquivalentMgPerM2 ?? c.CumulativeDoxorubicinMgPerM2));
        var liposomal = regimens.Sum(g => g.Max(c => c.CumulativeLiposomalDoxorubicinMgPerM2 ?? 0m));
        var bsa = events.Select(e => JourneyEvents.Of(e).BsaM2(e)).LastOrDefault(b => b is not null);
        var taces = events.OfType<TacePerformed>().ToList();
        var locoregional = PerM2(taces.Where(t => Anthracyclines.Drug(t.Drug)?.IsDoxorubicin == true).Sum(t => t.DoseMg), bsa);
        var locoregionalEquivalent = PerM2(taces.Sum(Anthracyclines.DoxorubicinEquivalentMg), bsa);
        return new CumulativeDoxorubicin(Math.Round(systemic, 1), locoregional, Math.Round(systemic + (locoregional ?? 0m), 1),
            new DoxorubicinEquivalent(Math.Round(systemicEquivalent, 1), locoregionalEquivalent, Math.Round(systemicEquivalent + (locoregionalEquivalent ?? 0m), 1)),
            Math.Round(liposomal, 1));
    }

    private static decimal? PerM2(decimal mg, decimal? bsaM2) => mg == 0m ? 0m : bsaM2 is { } m2 ? Math.Round(mg / m2, 1) : null;

    // TACE doxorubicin without a known body surface area is not 0 mg/m2: it cannot be expressed per m2 at all.
    private static string Locoregional(CumulativeDoxorubicin dox) => dox.Locoregional is { } m2 ? Num(m2) : "not computable (no body surface area)";

    // Doxorubicin alone reads as before; other anthracyclines are named as what they add to it.
    private static string Exposure(CumulativeDoxorubicin dox)
    {
        var doxorubicin = $"systemic {Num(dox.Systemic)}, locoregional {Locoregional(dox)}";
        return dox.EquivalentTotal == dox.Total
            ? $"Cumulative doxorubicin {Num(dox.Total)} mg/m2 ({doxorubicin})"
            : $"Cumulative doxorubicin-equivalent {Num(dox.EquivalentTotal)} mg/m2 (doxorubicin {Num(dox.Total)}: {doxorubicin}; other anthracyclines {Num(dox.EquivalentTotal - dox.Total)})";
    }

    private static IEnumerable<JourneyFlag> Flags(IReadOnlyList<ClinicalEvent> events, PatientRegistered? registration, CumulativeDoxorubicin dox, Schedule schedule)
    {
        // Total includes systemic, so its threshold is the higher one reached; the message shows both.
        foreach (var (mgPerM2, severity, advice) in DoxorubicinThresholds)
        {
            if (dox.EquivalentTotal < mgPerM2) continue;
            yield return new JourneyFlag($"doxorubicin-{mgPerM2:0}", severity, $"{Exposure(dox)} {advice}");
            break;
        }
        if (dox.Locoregional is null || dox.DoxorubicinEquivalent is { Locoregional: null })
            yield return new JourneyFlag("bsa-unknown", "warning", "TACE doxorubicin cannot be expressed per m2: no body surface area is known");
        foreach (var (e, drug) in Anthracyclines.NotConverted(events))
            yield return new JourneyFlag("anthracycline-not-converted", "warning",
                $"{drug} is an anthracycline with no published doxorubicin equivalence: it is in no cumulative total, assess its cardiotoxic exposure apart", e.EventId);

        var firstTreatment = events.FirstOrDefault(e => JourneyEvents.Of(e).IsTreatment);
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
        var lastTreatment = events.LastOrDefault(e => JourneyEvents.Of(e).IsTreatment && !plannedSessions.Contains(e.EventId));
        var plan = events.OfType<SurveillancePlanStarted>().LastOrDefault();
        if (plan is not null && lastTreatment is not null && plan.StartsOn < lastTreatment.OccurredOn)
            yield return new JourneyFlag("surveillance-before-last-treatment", "warning",
                $"Surveillance plan started {plan.StartsOn:yyyy-MM-dd}, before the last treatment ({lastTreatment.Type} on {lastTreatment.OccurredOn:yyyy-MM-dd})",
                plan.EventId);

        foreach (var echo in CardiacDysfunction.Assess(events).Where(a => a.Ctrcd is not null))
            yield return new JourneyFlag($"ctrcd-{JsonSerializer.Serialize(echo.Ctrcd).Trim('"')}", echo.Ctrcd == CtrcdSeverity.Mild ? "warning" : "alert",
                $"Echocardiogram {echo.PerformedOn:yyyy-MM-dd}: LVEF {Num(echo.LvefPercent)} % against {Num(echo.LvefPercent + echo.LvefFallPoints!.Value)} % on {echo.ReferenceOn:yyyy-MM-dd}"
                + (echo.GlsRelativeFallPercent is { } gls ? $", GLS {(gls >= 0 ? "down" : "up")} {Num(Math.Abs(gls))} % (relative)" : "")
                + $": {JsonSerializer.Serialize(echo.Ctrcd).Trim('"')} asymptomatic cancer therapy-related cardiac dysfunction (2022 ESC cardio-oncology guideline, table 3)",
                echo.EventId);

        if (registration is not null)
            foreach (var e in events.Where(e => e.OccurredOn < registration.BirthDate))
                yield return new JourneyFlag("before-birth", "alert", $"{e.Type} is dated before the patient's birth date", e.EventId);
    }

    /// <summary>The navigator in charge: the latest NavigatorAssigned of the events given (in clinical order).</summary>
    public static string? NavigatorOf(IReadOnlyList<ClinicalEvent> events) => events.OfType<NavigatorAssigned>().LastOrDefault()?.Navigator;

    // Departments are autonomous: a fact dated after the death is kept, and a clinician must see the contradiction.
    private static IEnumerable<JourneyFlag> DeathFlags(IReadOnlyList<ClinicalEvent> events, Death? death)
    {
        if (death is null) yield break;
        if (death.FromAdverseEvent)
            yield return new JourneyFlag("death-from-adverse-event", "alert",
                $"Taken as death on {death.DiedOn:yyyy-MM-dd}: a CTCAE grade 5 adverse event ({death.Source.Type}); no PatientDied is recorded", death.Source.EventId);
        foreach (var e in events.Where(e => e.OccurredOn > death.DiedOn))
            yield return new JourneyFlag("after-death", "alert", $"{e.Type} on {e.OccurredOn:yyyy-MM-dd} is dated after the patient's death ({death.DiedOn:yyyy-MM-dd})", e.EventId);
    }

    private static IEnumerable<(ClinicalEvent Event, string Term, int Grade)> SevereToxicities(IEnumerable<ClinicalEvent> events) =>
        events.SelectMany(e => JourneyEvents.Of(e).GradedTerms(e).Where(t => t.Grade >= SevereCtcaeGrade).Select(t => (e, t.Term, t.Grade)));
}
