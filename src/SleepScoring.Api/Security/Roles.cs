namespace SleepScoring.Api.Security;

/// <summary>The roles an API key carries, and the authorization policies built from them.</summary>
public static class Roles
{
    public const string Technician = "technician";
    public const string Clinician = "clinician";
    public const string Integration = "integration";
    public const string Admin = "admin";

    public static readonly string[] All = [Technician, Clinician, Integration, Admin];

    /// <summary>Policy names; each endpoint names one.</summary>
    public static class Policies
    {
        /// <summary>Upload studies: technicians, hospital integrations, admins.</summary>
        public const string Upload = "upload";

        /// <summary>Read studies, results and the model card: every role.</summary>
        public const string Read = "read";

        /// <summary>
        /// Correct epoch stages: technicians and clinicians (a person in a scoring role must answer for a
        /// correction). Admins may not: an admin key operates the service (keys, deletions), and keeping
        /// it out of the clinical record separates those duties.
        /// </summary>
        public const string Correct = "correct";

        /// <summary>Sign a study off (lock its hypnogram): clinicians, who answer for the report.</summary>
        public const string SignOff = "sign-off";

        /// <summary>Queue a failed study again: technicians (who run the lab's studies) and admins.</summary>
        public const string Rescore = "rescore";

        /// <summary>Delete studies, issue and revoke keys: admins.</summary>
        public const string Admin = "admin";
    }
}
