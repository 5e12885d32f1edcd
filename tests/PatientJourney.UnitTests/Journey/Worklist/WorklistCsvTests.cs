using PatientJourney.Journey.Worklist;

namespace PatientJourney.UnitTests.Journey.Worklist;

public class WorklistCsvTests
{
    [Fact]
    public void Csv_has_a_header_row_crlf_line_ends_and_quotes_fields_as_rfc_4180_says()
    {
        var csv = WorklistCsv.Write(
        [
            new WorklistItem("LMS-1", "Doe, \"Jane\"", "ct", new DateOnly(2012, 4, 24), "booked", new DateOnly(2012, 5, 15)),
            new WorklistItem("LMS-2", null, "clinic-visit", new DateOnly(2012, 2, 24), "deferred", null, new DateOnly(2012, 6, 1)),
        ]);
        Assert.Equal(
            "patientId,displayName,kind,dueOn,status,scheduledOn,deferredUntil\r\n" +
            "LMS-1,\"Doe, \"\"Jane\"\"\",ct,2012-04-24,booked,2012-05-15,\r\n" +
            "LMS-2,,clinic-visit,2012-02-24,deferred,,2012-06-01\r\n", csv);
    }
}
