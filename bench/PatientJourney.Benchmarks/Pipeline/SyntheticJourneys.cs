using System.Globalization;
using System.Text;
using PatientJourney.Contracts;

namespace PatientJourney.Benchmarks.Pipeline;

/// <summary>One department request of a synthetic journey; its body is ready-made UTF-8 JSON.</summary>
public sealed record DepartmentRequest(string Department, string Path, byte[] Body);

/// <summary>
/// Journeys shaped like the seed case, varied per patient: registration, diagnosis, performance status, staging PET-CT,
/// a regimen of 4-8 cycles with a CT every two cycles (baseline, then a RECIST assessment each), a stop, an MDT
/// decision, TACE or RFA (sometimes both), a surveillance plan and 3-8 monthly visits: 20-35 events a patient.
/// The requests of one patient go in order (each department checks its own order); patients run side by side.
/// </summary>
public static class SyntheticJourneys
{
    public static IReadOnlyList<DepartmentRequest> ForPatient(string patientId, int seed)
    {
        var random = new Random(seed);
        var requests = new List<DepartmentRequest>();
        void Add(string department, string path, string json) => requests.Add(new DepartmentRequest(department, path, Encoding.UTF8.GetBytes(json)));
        string Day(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        string Num(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);

        var diagnosed = new DateOnly(2008, 1, 7).AddDays(random.Next(0, 3000));
        var born = diagnosed.AddYears(-random.Next(25, 80)).AddDays(-random.Next(0, 365));
        var p = $"/patients/{patientId}";
        Add(Departments.Diagnosis, "/patients",
            $$"""{"patientId":"{{patientId}}","sex":"{{(random.Next(2) == 0 ? "female" : "male")}}","birthDate":"{{Day(born)}}","displayName":"Synthetic {{seed}}","occurredOn":"{{Day(diagnosed)}}"}""");
        Add(Departments.Diagnosis, $"{p}/diagnoses",
            $$"""{"occurredOn":"{{Day(diagnosed)}}","histology":"synovial sarcoma","differentiation":"poorly differentiated","primarySite":"thigh","metastaticSites":["liver"],"immunohistochemistry":{"positive":["TLE1","BCL2"],"negative":["CD34"]} }""");
        Add(Departments.Diagnosis, $"{p}/performance-status", $$"""{"occurredOn":"{{Day(diagnosed)}}","ecog":{{random.Next(0, 3)}} }""");
        var liver = 40 + random.Next(0, 40);
        var suv = 6 + random.NextDouble() * 8;
        Add(Departments.Imaging, $"{p}/pet-ct",
            $$"""{"performedOn":"{{Day(diagnosed.AddDays(10))}}","indication":"staging","lesions":[{"lesionId":"liver-1","site":"liver segment VI","suvMax":{{Num(suv)}},"longestDiameterMm":{{liver}} }],"impression":"avid hepatic lesion"}""");

        var start = diagnosed.AddDays(24);
        Add(Departments.Chemotherapy, $"{p}/regimens",
            $$"""{"regimenId":"AI-1","name":"doxorubicin + ifosfamide","startedOn":"{{Day(start)}}","cycleLengthDays":21,"heightCm":{{155 + random.Next(0, 35)}},"weightKg":{{50 + random.Next(0, 45)}},"drugs":[{"drug":"doxorubicin","dosePerM2Mg":20,"days":[1,2,3],"route":"iv","purpose":"antineoplastic"},{"drug":"ifosfamide","dosePerM2Mg":2500,"days":[1,2,3],"route":"iv","purpose":"antineoplastic"},{"drug":"mesna","dosePerM2Mg":1500,"days":[1,2,3],"route":"iv","purpose":"supportive"}]}""");
        var cycles = random.Next(4, 9);
        for (var cycle = 1; cycle <= cycles; cycle++)
        {
            var started = start.AddDays(21 * (cycle - 1));
            Add(Departments.Chemotherapy, $"{p}/regimens/AI-1/cycles", $$"""{"cycleNumber":{{cycle}},"startedOn":"{{Day(started)}}","completedOn":"{{Day(started.AddDays(3))}}"}""");
            if (cycle % 2 == 0 || cycle == 1)
            {
                // The first CT is the RECIST baseline; each later one is also assessed (a second event from the same request).
                liver = Math.Max(10, liver - random.Next(0, 8));
                Add(Departments.Imaging, $"{p}/ct",
                    $$"""{"performedOn":"{{Day(started.AddDays(cycle == 1 ? -2 : 14))}}","region":"chest-abdomen-pelvis","contrast":true,"targetLesions":[{"lesionId":"liver-1","site":"liver segment VI","longestDiameterMm":{{liver}} }],"newLesions":false}""");
            }
        }
        var stopped = start.AddDays(21 * cycles + 7);
        Add(Departments.Chemotherapy, $"{p}/regimens/AI-1/stop", $$"""{"stoppedOn":"{{Day(stopped)}}","reason":"planned course completed"}""");

        var mdt = stopped.AddDays(14);
        var tace = random.Next(3) != 0;
        var rfa = !tace || random.Next(3) == 0;
        Add(Departments.Diagnosis, $"{p}/mdt-decisions",
            $$"""{"occurredOn":"{{Day(mdt)}}","decision":"local therapy of the residual hepatic disease","plannedProcedures":[{"procedure":"{{(tace ? "tace" : "rfa")}}","sessions":1,"intervalMonths":3,"firstOn":"{{Day(mdt.AddDays(21))}}"}]}""");
        var local = mdt.AddDays(21);
        if (tace)
            Add(Departments.Interventional, $"{p}/tace",
                $$"""{"performedOn":"{{Day(local)}}","target":"liver segment VI","drug":"doxorubicin","doseMg":{{50 + 10 * random.Next(0, 10)}},"carrier":"lipiodol","approach":"right femoral","toxicities":[{"term":"nausea","grade":{{random.Next(1, 3)}} }]}""");
        if (rfa)
            Add(Departments.Interventional, $"{p}/rfa",
                $$"""{"performedOn":"{{Day(local.AddDays(tace ? 60 : 0))}}","target":"liver segment VI","lesionSizeMm":[{{liver}},{{Math.Max(5, liver - 7)}}],"ablationCycles":2,"targetTemperatureC":70,"cycleMinutes":10,"technicalSuccess":true}""");

        var surveillance = local.AddDays(tace && rfa ? 120 : 60);
        Add(Departments.Imaging, $"{p}/ct",
            $$"""{"performedOn":"{{Day(surveillance.AddDays(-7))}}","region":"chest-abdomen-pelvis","contrast":true,"targetLesions":[{"lesionId":"liver-1","site":"liver segment VI","longestDiameterMm":{{Math.Max(8, liver - 10)}} }],"newLesions":false}""");
        Add(Departments.Diagnosis, $"{p}/surveillance-plans", $$"""{"startsOn":"{{Day(surveillance)}}","protocol":"ct-q3m-visits-q1m"}""");
        var visits = random.Next(3, 9);
        for (var month = 1; month <= visits; month++)
            Add(Departments.Diagnosis, $"{p}/visits", $$"""{"occurredOn":"{{Day(surveillance.AddMonths(month))}}","ecog":{{random.Next(0, 2)}} }""");
        return requests;
    }
}
