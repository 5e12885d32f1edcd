using System.Collections.Frozen;
using PatientJourney.Contracts;

namespace PatientJourney.Journey.Catalogue;

/// <summary>
/// What one contract event type means to the journey: its line in the journey, what it does to the schedule and the
/// flags, and what it adds to the FHIR export and the charts. The readers (projection, surveillance engine, FHIR export,
/// measurements) ask this instead of switching on types, so a new event type is written here once.
/// </summary>
public abstract class EventMeaning
{
    public abstract Type EventType { get; }

    /// <summary>The surveillance item kind every event of the type performs: it completes the open item of that kind.</summary>
    public string? Performs { get; init; }

    /// <summary>The item kind this event performs: the type's, or the event's own (an outside result names its kind).</summary>
    public virtual string? KindPerformed(ClinicalEvent e) => Performs;

    /// <summary>A treatment, for the flags that compare dates with treatment (a later diagnosis, surveillance begun early).</summary>
    public bool IsTreatment { get; init; }

    /// <summary>An assessment of a fact recorded with it (a CT's RECIST response): listed after what it assesses.</summary>
    public bool IsAssessment { get; init; }

    /// <summary>A type no longer published, kept so that streams holding it still read; the journey does not list it.</summary>
    public bool IsRetired { get; init; }

    public abstract string Summarise(ClinicalEvent e);
    public abstract decimal? BsaM2(ClinicalEvent e);
    public abstract IEnumerable<GradedTerm> GradedTerms(ClinicalEvent e);
    public abstract void AddToFhir(ClinicalEvent e, FhirEntries fhir);
    public abstract void AddToCharts(ClinicalEvent e, ChartPoints charts);
}

public sealed class EventMeaning<TEvent> : EventMeaning where TEvent : ClinicalEvent
{
    public override Type EventType => typeof(TEvent);

    /// <summary>One line a clinician can scan; identifiers and measures only, never names or free text.</summary>
    public required Func<TEvent, string> Summary { get; init; }

    /// <summary>The item kind an event of the type performs when the event itself says which (an outside result).</summary>
    public Func<TEvent, string?>? PerformsKind { get; init; }

    /// <summary>The body surface area the event states (the latest one known converts TACE doxorubicin to mg/m2).</summary>
    public Func<TEvent, decimal?>? BodySurfaceArea { get; init; }

    /// <summary>CTCAE-graded toxicities or complications the event reports.</summary>
    public Func<TEvent, IEnumerable<GradedTerm>>? Toxicities { get; init; }

    /// <summary>The FHIR resources the event becomes.</summary>
    public Action<TEvent, FhirEntries>? Fhir { get; init; }

    /// <summary>What the event adds to the dashboard's charts.</summary>
    public Action<TEvent, ChartPoints>? Charts { get; init; }

    public override string? KindPerformed(ClinicalEvent e) => PerformsKind is { } kind ? kind((TEvent)e) : Performs;
    public override string Summarise(ClinicalEvent e) => Summary((TEvent)e);
    public override decimal? BsaM2(ClinicalEvent e) => BodySurfaceArea?.Invoke((TEvent)e);
    public override IEnumerable<GradedTerm> GradedTerms(ClinicalEvent e) => Toxicities?.Invoke((TEvent)e) ?? [];
    public override void AddToFhir(ClinicalEvent e, FhirEntries fhir) => Fhir?.Invoke((TEvent)e, fhir);
    public override void AddToCharts(ClinicalEvent e, ChartPoints charts) => Charts?.Invoke((TEvent)e, charts);
}

/// <summary>The catalogue: every contract event type's meaning, one file a department (as the contracts are).</summary>
public static partial class JourneyEvents
{
    private static readonly FrozenDictionary<Type, EventMeaning> ByType =
        Diagnosis().Concat(Navigation()).Concat(Merging()).Concat(Chemotherapy()).Concat(Interventional()).Concat(Imaging()).Concat(Corrections())
            .ToFrozenDictionary(m => m.EventType);

    // An event type the catalogue does not know yet shows under its name and contributes nothing else.
    private static readonly EventMeaning Unknown = new EventMeaning<ClinicalEvent> { Summary = e => e.Type };

    public static IEnumerable<EventMeaning> All => ByType.Values;

    public static EventMeaning Of(ClinicalEvent e) => ByType.GetValueOrDefault(e.GetType(), Unknown);
}
