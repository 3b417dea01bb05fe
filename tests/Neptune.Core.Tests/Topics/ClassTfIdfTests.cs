using Neptune.Core.Topics;

namespace Neptune.Core.Tests.Topics;

public sealed class ClassTfIdfTests
{
    [Fact]
    public void A_distinctive_term_outranks_a_more_frequent_term_that_every_cluster_shares()
    {
        var totals = new Dictionary<string, long> { ["common"] = 20, ["alpha"] = 4, ["beta"] = 4 };
        var alpha = new Dictionary<string, int> { ["common"] = 10, ["alpha"] = 4 };

        var label = ClassTfIdf.Label(alpha, totals, averageWords: 14, maxTerms: 1, spelling: k => k);

        Assert.Equal("alpha", label);
        Assert.True(ClassTfIdf.Weight(4, 4, 14) > ClassTfIdf.Weight(10, 20, 14));
    }

    [Fact]
    public void A_label_joins_up_to_three_strong_terms_that_share_no_word()
    {
        var terms = new Dictionary<string, int> { ["port"] = 9, ["port forwarding"] = 8, ["tunnel"] = 7, ["ssh"] = 6, ["weak"] = 1 };
        var totals = terms.ToDictionary(t => t.Key, t => (long)t.Value);

        var label = ClassTfIdf.Label(terms, totals, averageWords: 31, maxTerms: 3, spelling: k => k == "ssh" ? "SSH" : k);

        Assert.Equal("port, tunnel, SSH", label);
    }

    [Fact]
    public void Labels_tell_networking_man_pages_from_file_system_ones()
    {
        string[] networking = ["ip-route.8", "ip-neighbour.8", "udp.7", "socket.7", "ip.7", "ss.8", "netstat.8", "arp.7", "icmp.7", "raw.7"];
        string[] fileSystems = ["mount.8", "fsck.8", "df.1", "mke2fs.8", "tune2fs.8", "e2fsck.8", "fstab.5", "mkfs.8", "findmnt.8", "resize2fs.8"];
        var pages = SharedDatasets.ManPages([.. networking, .. fileSystems]);
        var (net, fs) = (new float[] { 1, 0, 0 }, new float[] { 0, 1, 0 });
        var clusters = new TopicClusters();
        long id = 0;
        foreach (var page in networking.Select(p => (p, net)).Concat(fileSystems.Select(p => (p, fs))))
        {
            var (title, text) = pages[page.p];
            var terms = Keyphrases.Candidates(title, text).ToDictionary(c => c.Text, c => c.Count);
            clusters.Assign(id++, page.Item2, terms);
        }

        clusters.Recluster();

        var labels = clusters.Clusters.OrderBy(c => c.Members[0]).Select(c => c.Label).ToList();
        Assert.Equal(2, labels.Count);
        var (netLabel, fsLabel) = (labels[0].Split(", "), labels[1].Split(", "));
        Assert.True(netLabel.Any(t => t is "socket" or "sockets" or "route" or "routes" or "packet" or "packets" or "address" or "IP" or "UDP" or "TCP" or "neighbour" or "network" or "interface"), labels[0]);
        Assert.True(fsLabel.Any(t => t is "file system" or "file systems" or "filesystem" or "filesystems" or "mount" or "device" or "partition" or "fsck" or "superblock" or "ext4" or "inode" or "block"), labels[1]);
        Assert.Empty(netLabel.Intersect(fsLabel));
    }
}
