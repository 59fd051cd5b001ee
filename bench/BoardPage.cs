using System;
using System.Net.Http;
using NetBoard.Firmware.Device;
using NetBoard.Firmware.Jobs;
using NetBoard.Firmware.Web;
using NetBoard.Hal.Host;

namespace NetBoard.Bench
{
    /// <summary>The web page served by the benchmark's board: a web server task on the runtime's scheduler and the page a client polls.</summary>
    internal sealed class BoardPage
    {
        private readonly WebServerTask _task;
        private readonly TcpNetListener _listener;

        private BoardPage(WebServerTask task, TcpNetListener listener, string path)
        {
            _task = task;
            _listener = listener;
            Path = path;
        }

        /// <summary>The page's path.</summary>
        public string Path { get; }

        /// <summary>Answers sent so far.</summary>
        public long Served => _task.Responses;

        /// <summary>Adds the web server task to <paramref name="runtime"/>'s scheduler on <paramref name="listener"/>.</summary>
        public static BoardPage Attach(DeviceRuntime runtime, TcpNetListener listener)
        {
            WebServerTask task = new WebServerTask(listener, new JobStatusHandler(runtime.Context.Jobs));
            runtime.Scheduler.Add(task);
            return new BoardPage(task, listener, "/jobs");
        }

        public string Describe()
        {
            return "a job status page listing the job store, " + WebServerTask.DefaultConnectionCount + " connections";
        }

        /// <summary>A client for the page, one connection per request as the board answers.</summary>
        public HttpClient CreateClient()
        {
            return new HttpClient { BaseAddress = new Uri("http://127.0.0.1:" + _listener.LocalPort), Timeout = TimeSpan.FromSeconds(30) };
        }

        public void Stop()
        {
            _task.Stop();
        }

        /// <summary>The job list as an HTML table, built anew for every request.</summary>
        private sealed class JobStatusHandler : IWebHandler
        {
            private readonly JobStore _jobs;

            public JobStatusHandler(JobStore jobs)
            {
                _jobs = jobs;
            }

            public HttpResponse Handle(HttpRequestParser request, long nowMs)
            {
                string rows = string.Empty;
                for (int i = 0; i < _jobs.Count; i++)
                {
                    MailJob job = _jobs.At(i);
                    rows += "<tr><td>" + job.Id + "</td><td>" + JobRecordFormat.StateName(job.State) + "</td><td>" + HtmlText.Escape(job.Subject) + "</td></tr>";
                }

                return new HttpResponse(HttpStatus.Ok, HttpResponse.HtmlType, "<!DOCTYPE html><title>Job status</title><table>" + rows + "</table>");
            }
        }
    }
}
