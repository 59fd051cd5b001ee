using Microsoft.EntityFrameworkCore;

namespace NetBoard.Lab.OAuth
{
    /// <summary>
    /// OpenIddict's applications, authorizations and tokens, kept in memory: a restart of the lab forgets every token,
    /// like the rest of the lab's run directory.
    /// </summary>
    public sealed class LabDbContext : DbContext
    {
        /// <summary>Creates the context with the options the host configured.</summary>
        public LabDbContext(DbContextOptions<LabDbContext> options)
            : base(options)
        {
        }
    }
}
