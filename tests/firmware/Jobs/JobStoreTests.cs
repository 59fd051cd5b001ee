using System;
using System.Collections.Generic;
using System.IO;
using NetBoard.Firmware.Jobs;
using NetBoard.Firmware.Tests.Doubles;

namespace NetBoard.Firmware.Tests.Jobs
{
    public class JobStoreTests
    {
        [Fact]
        public void Accepted_jobs_survive_a_restart_with_their_state()
        {
            var storage = new MemoryStorage();
            var store = new JobStore(storage);
            Assert.Null(store.Load());
            MailJob a = store.Accept(JobKind.Email, new[] { "a@lab.test", "b@lab.test" }, "Scan\r\nBcc: x", "docs/1/scan.pdf");
            MailJob b = store.Accept(JobKind.Ifax, new[] { "fax@lab.test" }, string.Empty, "docs/2/fax.tif");
            b.State = JobState.Failed;
            b.Attempts = 3;
            b.LastErrorCode = UserErrorCode.SmtpAuthFailed;
            b.LastDetail = "535 5.7.8 no";
            store.Save(b);

            var again = new JobStore(storage.Reboot());
            Assert.Null(again.Load());
            Assert.Equal(2, again.Count);
            MailJob a2 = again.Find(a.Id);
            Assert.Equal(new[] { "a@lab.test", "b@lab.test" }, a2.Recipients);
            Assert.Equal("Scan  Bcc: x", a2.Subject);
            Assert.Equal(JobState.Queued, a2.State);
            MailJob b2 = again.Find(b.Id);
            Assert.Equal(JobKind.Ifax, b2.Kind);
            Assert.Equal(JobState.Failed, b2.State);
            Assert.Equal(3, b2.Attempts);
            Assert.Equal(UserErrorCode.SmtpAuthFailed, b2.LastErrorCode);
            Assert.Equal("535 5.7.8 no", b2.LastDetail);
            Assert.Equal(b.Id + 1, again.Accept(JobKind.Email, new[] { "c@lab.test" }, "x", "d").Id);
        }

        [Fact]
        public void Which_recipients_are_done_survives_a_restart()
        {
            var storage = new MemoryStorage();
            var store = new JobStore(storage);
            store.Load();
            MailJob job = store.Accept(JobKind.Email, new[] { "a@lab.test", "b@lab.test", "c@lab.test" }, "s", "d");
            Assert.DoesNotContain("rcpt=", JobRecordFormat.Format(job));
            job.RecipientStates[0] = RecipientState.Sent;
            job.RecipientStates[2] = RecipientState.Rejected;
            job.Attempts = 1;
            job.LastErrorCode = UserErrorCode.SmtpTemporaryFailure;
            store.Save(job);
            Assert.Contains("\nrcpt=spr\n", JobRecordFormat.Format(job));

            var rebooted = new JobStore(storage.Reboot());
            Assert.Null(rebooted.Load());
            MailJob again = rebooted.Find(job.Id);
            Assert.Equal(new[] { RecipientState.Sent, RecipientState.Pending, RecipientState.Rejected }, again.RecipientStates);
            Assert.Equal(new[] { 1 }, again.PendingIndexes());
            Assert.True(again.IsPartlySent);
            Assert.Equal("partly sent", JobRecordFormat.StatusName(again));
        }

        [Fact]
        public void A_record_from_before_recipient_tracking_has_every_recipient_pending()
        {
            string old = "id=4\nkind=email\nsubject=s\ndocument=d\nstate=queued\nattempts=1\nnext=0\nerror=805\ndetail=\nto=a@lab.test\nto=b@lab.test\n";
            MailJob job = JobRecordFormat.Parse(old);
            Assert.Equal(new[] { RecipientState.Pending, RecipientState.Pending }, job.RecipientStates);
            Assert.Equal(new[] { 0, 1 }, job.PendingIndexes());
            Assert.Equal("queued", JobRecordFormat.StatusName(job));
        }

        [Theory]
        [InlineData("rcpt=s\n")]
        [InlineData("rcpt=sps\n")]
        [InlineData("rcpt=sx\n")]
        public void Recipient_marks_that_do_not_fit_the_recipients_make_the_record_unreadable(string marks)
        {
            string text = "id=4\nkind=email\nsubject=s\ndocument=d\nstate=queued\nattempts=1\nnext=0\nerror=805\ndetail=\nto=a@lab.test\nto=b@lab.test\n" + marks;
            Assert.Null(JobRecordFormat.Parse(text));
        }

        [Fact]
        public void A_job_cut_while_sending_is_queued_again_at_boot()
        {
            var storage = new MemoryStorage();
            var store = new JobStore(storage);
            store.Load();
            MailJob job = store.Accept(JobKind.Email, new[] { "a@lab.test" }, "s", "d");
            job.State = JobState.Sending;
            store.Save(job);

            var again = new JobStore(storage.Reboot());
            Assert.Contains("requeued", again.Load());
            Assert.Equal(JobState.Queued, again.Find(job.Id).State);
            Assert.Same(again.Find(job.Id), again.NextDue(DateTime.UtcNow.Ticks));
        }

        [Fact]
        public void Next_due_respects_the_retry_time_and_the_order()
        {
            var store = new JobStore(new MemoryStorage());
            store.Load();
            MailJob first = store.Accept(JobKind.Email, new[] { "a@lab.test" }, "1", "d1");
            MailJob second = store.Accept(JobKind.Email, new[] { "a@lab.test" }, "2", "d2");
            first.NextAttemptTicks = 1000;
            Assert.Same(second, store.NextDue(999));
            Assert.Same(first, store.NextDue(1000));
            second.State = JobState.Sent;
            Assert.Null(store.NextDue(999));
            Assert.Equal(1000, store.EarliestAttemptTicks());
        }

        [Fact]
        public void Finished_jobs_beyond_the_limit_are_pruned_with_their_documents()
        {
            var storage = new MemoryStorage();
            var store = new JobStore(storage);
            store.Load();
            for (int i = 0; i < JobStore.MaxFinishedJobs + 5; i++)
            {
                storage.Put("docs/" + i, new byte[] { 1 });
                MailJob job = store.Accept(JobKind.Email, new[] { "a@lab.test" }, "s", "docs/" + i);
                job.State = JobState.Sent;
                store.Save(job);
            }

            MailJob pending = store.Accept(JobKind.Email, new[] { "a@lab.test" }, "s", "docs/pending");
            Assert.Equal(JobStore.MaxFinishedJobs + 1, store.Count);
            Assert.False(storage.Exists("docs/0"));
            Assert.True(storage.Exists("docs/54"));
            Assert.Same(pending, store.Find(pending.Id));
        }

        /// <summary>
        /// A full scenario (accept three jobs, send one, fail one, retry one) with the power cut at
        /// every storage operation in turn: after the restart every job that Accept returned is there,
        /// a job whose Sent record was written is Sent, and nothing else is Sent.
        /// </summary>
        [Fact]
        public void A_power_cut_at_every_write_loses_no_accepted_job_and_resends_no_sent_job()
        {
            int total = RunScenario(new MemoryStorage(), new List<int>(), new HashSet<int>(), new HashSet<int>());
            Assert.True(total > 20, "the scenario makes many writes");
            for (int cut = 0; cut <= total; cut++)
            {
                var storage = new MemoryStorage { CutAfter = cut };
                var accepted = new List<int>();
                var sentSaved = new HashSet<int>();
                var sentStarted = new HashSet<int>();
                RunScenario(storage, accepted, sentSaved, sentStarted);

                var store = new JobStore(storage.Reboot());
                store.Load();
                foreach (int id in accepted)
                {
                    MailJob job = store.Find(id);
                    Assert.True(job != null, "cut " + cut + ": accepted job " + id + " lost");
                    if (sentSaved.Contains(id))
                    {
                        Assert.Equal(JobState.Sent, job.State);
                    }
                }

                for (int i = 0; i < store.Count; i++)
                {
                    MailJob job = store.At(i);
                    if (job.State == JobState.Sent)
                    {
                        Assert.Contains(job.Id, sentStarted);
                    }

                    Assert.NotEqual(JobState.Sending, job.State);
                }

                var ids = new HashSet<int>();
                for (int i = 0; i < store.Count; i++)
                {
                    Assert.True(ids.Add(store.At(i).Id), "cut " + cut + ": id handed out twice");
                }

                MailJob fresh = store.Accept(JobKind.Email, new[] { "z@lab.test" }, "after", "d");
                Assert.DoesNotContain(fresh.Id, accepted);
            }
        }

        private static int RunScenario(MemoryStorage storage, List<int> accepted, HashSet<int> sentSaved, HashSet<int> sentStarted)
        {
            var store = new JobStore(storage);
            try
            {
                store.Load();
                var jobs = new List<MailJob>();
                for (int i = 0; i < 3; i++)
                {
                    MailJob job = store.Accept(JobKind.Email, new[] { "r" + i + "@lab.test" }, "job " + i, "docs/" + i);
                    accepted.Add(job.Id);
                    jobs.Add(job);
                }

                jobs[0].State = JobState.Sending;
                store.Save(jobs[0]);
                jobs[0].State = JobState.Sent;
                jobs[0].Attempts = 1;
                sentStarted.Add(jobs[0].Id);
                store.Save(jobs[0]);
                sentSaved.Add(jobs[0].Id);

                jobs[1].State = JobState.Sending;
                store.Save(jobs[1]);
                jobs[1].State = JobState.Queued;
                jobs[1].Attempts = 1;
                jobs[1].LastErrorCode = UserErrorCode.SmtpConnectFailed;
                store.Save(jobs[1]);

                jobs[2].State = JobState.Sending;
                store.Save(jobs[2]);
                jobs[2].State = JobState.Failed;
                store.Save(jobs[2]);

                jobs[1].State = JobState.Sending;
                store.Save(jobs[1]);
                jobs[1].State = JobState.Sent;
                sentStarted.Add(jobs[1].Id);
                store.Save(jobs[1]);
                sentSaved.Add(jobs[1].Id);
                MailJob late = store.Accept(JobKind.Ifax, new[] { "f@lab.test" }, "late", "docs/late");
                accepted.Add(late.Id);
            }
            catch (IOException)
            {
                // The power went: what the storage holds now is what the restart finds.
            }

            return storage.Operations;
        }
    }
}
