#if canImport(Glibc)
import Glibc
#endif

/// CPU time and peak memory of this process.
struct ProcessUsage {
    /// User plus system CPU seconds.
    let cpuSeconds: Double
    /// The peak resident set size in bytes.
    let peakResidentBytes: Int

    static func now() -> ProcessUsage {
        var usage = rusage()
        getrusage(Int32(RUSAGE_SELF.rawValue), &usage)
        let seconds =
            Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
            + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
        // Linux reports ru_maxrss in kibibytes.
        return ProcessUsage(cpuSeconds: seconds, peakResidentBytes: Int(usage.ru_maxrss) * 1024)
    }
}
