using PatientJourney.Contracts.Imaging;
using PatientJourney.DepartmentKit;

namespace PatientJourney.Imaging.Ct;

/// <summary>
/// What RECIST 1.1 (Eisenhauer et al., Eur J Cancer 2009;45:228-247) asks of the lesions a CT reports: a baseline's
/// selection (section 3.1 measurability, section 4.2 at most 5 targets and 2 per organ) and follow-ups that report the
/// baseline's lesions, so that every response the journey derives compares like with like.
/// </summary>
public static class RecistLesions
{
    public const decimal MinNonNodalMm = 10m; // section 3.1.1: measurable with CT slices of 5 mm or less
    public const decimal MinNodalShortAxisMm = 15m; // section 3.1.1: a pathological node is measurable from 15 mm short axis
    public const int MaxPerOrgan = 2; // section 4.2
    public const string LymphNodes = "lymph nodes"; // every lymph node is one organ (EORTC RECIST FAQ, "Paired organs")

    /// <summary>The baseline: the earliest CT that reports a lesion (the first recorded when two share a day).</summary>
    public static CtResulted? Baseline(IEnumerable<CtResulted> cts) =>
        cts.Where(HasLesions).OrderBy(c => c.OccurredOn).ThenBy(c => c.RecordedAt).FirstOrDefault();

    public static bool HasLesions(CtResulted ct) => ct.TargetLesions.Count > 0 || ct.NonTargetLesions.Count > 0;

    /// <summary>The organ a target counts toward: every node is one organ; otherwise as the sender says, or read from its site.</summary>
    public static string OrganOf(TargetLesion lesion) =>
        lesion.LymphNode ? LymphNodes : Normalise(lesion.Organ) ?? OrganWords.FirstOrDefault(w => Mentions(lesion.Site, w.Word)).Organ ?? Normalise(lesion.Site)!;

    /// <summary>A CT that is (or becomes, dated before the current one) the baseline: its selection.</summary>
    public static Decision CheckBaseline(CtResulted ct, IReadOnlyList<CtResulted> laterCts)
    {
        if (ct.NewLesions) return Decision.Invalid("newLesions", "a baseline CT has no new lesions: it is the reference later ones are compared with");
        for (var i = 0; i < ct.TargetLesions.Count; i++)
        {
            var l = ct.TargetLesions[i];
            if (l.LymphNode && l.LongestDiameterMm < MinNodalShortAxisMm)
                return Decision.Invalid($"targetLesions[{i}].longestDiameterMm",
                    $"a lymph node is a measurable target from a short axis of {MinNodalShortAxisMm} mm (RECIST 1.1 section 3.1.1); report lesion '{l.LesionId}' under nonTargetLesions");
            if (!l.LymphNode && l.LongestDiameterMm < MinNonNodalMm)
                return Decision.Invalid($"targetLesions[{i}].longestDiameterMm",
                    $"a target lesion measures at least {MinNonNodalMm} mm at baseline (RECIST 1.1 section 3.1.1); report lesion '{l.LesionId}' under nonTargetLesions");
        }
        var crowded = ct.TargetLesions.Select((l, i) => (Organ: OrganOf(l), Index: i)).GroupBy(x => x.Organ).FirstOrDefault(g => g.Count() > MaxPerOrgan);
        if (crowded is not null)
        {
            var third = crowded.ElementAt(MaxPerOrgan).Index;
            return Decision.Invalid($"targetLesions[{third}].lesionId",
                $"RECIST 1.1 (section 4.2) takes at most {MaxPerOrgan} target lesions per organ ({crowded.Key}); report lesion '{ct.TargetLesions[third].LesionId}' under nonTargetLesions");
        }
        for (var i = 0; i < ct.NonTargetLesions.Count; i++)
            if (ct.NonTargetLesions[i].Status != NonTargetStatus.Present)
                return Decision.Invalid($"nonTargetLesions[{i}].status", "a baseline non-target lesion is present: it is the reference later CTs are compared with");

        // A baseline that arrives after the CTs it precedes must hold the lesions they already follow.
        var targets = ct.TargetLesions.Select(l => l.LesionId).ToHashSet(StringComparer.Ordinal);
        var nonTargets = ct.NonTargetLesions.Select(l => l.LesionId).ToHashSet(StringComparer.Ordinal);
        foreach (var later in laterCts)
        {
            if (later.TargetLesions.FirstOrDefault(l => !targets.Contains(l.LesionId)) is { } target)
                return Decision.Conflict("targetLesions",
                    $"the CT of {later.OccurredOn:yyyy-MM-dd} follows target lesion '{target.LesionId}': a CT dated before it becomes the baseline and must report it as a target");
            if (later.NonTargetLesions.FirstOrDefault(l => !nonTargets.Contains(l.LesionId)) is { } nonTarget)
                return Decision.Conflict("nonTargetLesions",
                    $"the CT of {later.OccurredOn:yyyy-MM-dd} follows non-target lesion '{nonTarget.LesionId}': a CT dated before it becomes the baseline and must report it as a non-target");
        }
        return ct;
    }

    /// <summary>A follow-up reports the baseline's own lesions; one that appeared since is a new lesion (section 4.3.3).</summary>
    public static Decision CheckFollowUp(CtResulted ct, CtResulted baseline)
    {
        var targets = baseline.TargetLesions.Select(l => l.LesionId).ToHashSet(StringComparer.Ordinal);
        var nonTargets = baseline.NonTargetLesions.Select(l => l.LesionId).ToHashSet(StringComparer.Ordinal);
        for (var i = 0; i < ct.TargetLesions.Count; i++)
            if (!targets.Contains(ct.TargetLesions[i].LesionId))
                return Decision.Invalid($"targetLesions[{i}].lesionId",
                    $"'{ct.TargetLesions[i].LesionId}' is not a target lesion of the baseline CT of {baseline.OccurredOn:yyyy-MM-dd}"
                    + (nonTargets.Contains(ct.TargetLesions[i].LesionId) ? ": it is followed under nonTargetLesions" : ": a lesion that appeared since is reported with newLesions: true"));
        for (var i = 0; i < ct.NonTargetLesions.Count; i++)
            if (!nonTargets.Contains(ct.NonTargetLesions[i].LesionId))
                return Decision.Invalid($"nonTargetLesions[{i}].lesionId",
                    $"'{ct.NonTargetLesions[i].LesionId}' is not a non-target lesion of the baseline CT of {baseline.OccurredOn:yyyy-MM-dd}"
                    + (targets.Contains(ct.NonTargetLesions[i].LesionId) ? ": it is a target, measured under targetLesions" : ": a lesion that appeared since is reported with newLesions: true"));
        return ct;
    }

    private static string? Normalise(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim().ToLowerInvariant();

    private static bool Mentions(string site, string word) =>
        site.Split([' ', ',', '-', '/', '(', ')'], StringSplitOptions.RemoveEmptyEntries).Any(w => w.Equals(word, StringComparison.OrdinalIgnoreCase));

    // Words a site names its organ by; paired organs (lungs, kidneys, adrenals, ovaries) are one organ.
    private static readonly (string Word, string Organ)[] OrganWords =
    [
        ("liver", "liver"), ("hepatic", "liver"),
        ("lung", "lung"), ("lungs", "lung"), ("pulmonary", "lung"),
        ("pleura", "pleura"), ("pleural", "pleura"),
        ("peritoneum", "peritoneum"), ("peritoneal", "peritoneum"),
        ("kidney", "kidney"), ("renal", "kidney"),
        ("adrenal", "adrenal"),
        ("spleen", "spleen"), ("splenic", "spleen"),
        ("pancreas", "pancreas"), ("pancreatic", "pancreas"),
        ("bone", "bone"), ("osseous", "bone"),
        ("brain", "brain"), ("cerebral", "brain"),
        ("ovary", "ovary"), ("ovarian", "ovary"),
        ("uterus", "uterus"), ("uterine", "uterus"),
        ("stomach", "stomach"), ("gastric", "stomach"),
        ("breast", "breast"), ("thyroid", "thyroid"), ("skin", "skin"), ("muscle", "muscle"),
    ];
}
