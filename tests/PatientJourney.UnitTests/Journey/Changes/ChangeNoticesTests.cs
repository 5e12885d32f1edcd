using System.Text;
using PatientJourney.Journey.Store;

namespace PatientJourney.UnitTests.Journey.Changes;

public class ChangeNoticesTests
{
    [Fact]
    public void A_notice_read_back_names_every_patient_with_its_version_and_the_committing_trace()
    {
        const string Trace = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        var payload = Assert.Single(ChangeNotices.Payloads([("LMS-0001", 3), ("Ünïcode \"quoted\"", 12)], Trace));

        var notice = ChangeNotices.Parse(payload)!;
        Assert.Equal([("LMS-0001", 3L), ("Ünïcode \"quoted\"", 12L)], notice.Changes);
        Assert.Equal(Trace, notice.TraceParent);
    }

    [Fact]
    public void A_batch_too_large_for_one_notice_is_told_in_several_each_under_postgresqls_limit_and_none_lost()
    {
        var changes = Enumerable.Range(0, 2_000).Select(i => ($"PATIENT-{i:D6}-{new string('x', 40)}", (long)i)).ToList();

        var payloads = ChangeNotices.Payloads(changes, null);

        Assert.True(payloads.Count > 1);
        Assert.All(payloads, p => Assert.True(Encoding.UTF8.GetByteCount(p) < 8_000, $"{Encoding.UTF8.GetByteCount(p)} bytes"));
        Assert.Equal(changes, payloads.SelectMany(p => ChangeNotices.Parse(p)!.Changes));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("{\"T\":null}")]
    public void What_is_not_a_notice_is_ignored(string payload) => Assert.Null(ChangeNotices.Parse(payload));
}
