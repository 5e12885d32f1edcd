namespace PatientJourney.Hosting.Security;

/// <summary>The roles a PatientJourney token carries in its "role" claim.</summary>
public static class Roles
{
    /// <summary>Reads journeys, schedules and the worklist; uses the dashboard.</summary>
    public const string Clinician = "clinician";
    /// <summary>Everything a clinician reads, and the audit routes: raw events, asKnownAt, verify, FHIR.</summary>
    public const string Auditor = "auditor";
    /// <summary>Operates the journey: rebuild, replay, dead letters. Reads no patient data.</summary>
    public const string Admin = "admin";
    /// <summary>Reads what a clinician reads and records the navigation facts at the diagnosis department (bookings, deferrals,
    /// outside results, plan ends, deaths, navigators), none of its clinical ones.</summary>
    public const string Navigator = "navigator";

    /// <summary>The only role that may record a department's facts, and only at that department's service.</summary>
    public static string Department(string department) => $"department:{department}";
}

/// <summary>Authorization policies, by what they let a caller do.</summary>
public static class Policies
{
    public const string ReadJourney = "read-journey";
    public const string Audit = "audit";
    public const string Administer = "administer";
    /// <summary>Registered by each department service for its own department role.</summary>
    public const string RecordDepartmentFacts = "record-department-facts";
    /// <summary>Registered by the diagnosis department: its own role or a navigator.</summary>
    public const string RecordNavigationFacts = "record-navigation-facts";
}
