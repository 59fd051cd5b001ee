using System.Reflection;
using NetBoard.Firmware.Sasl;

namespace NetBoard.Firmware.Tests.Sasl
{
    /// <summary>Reads the stored credentials of a mechanism to prove that Clear wipes them.</summary>
    internal static class SaslTestSupport
    {
        internal static byte[] StoredUser(SaslMechanism mechanism)
        {
            return ReadField(mechanism, "_user");
        }

        internal static byte[] StoredPassword(SaslMechanism mechanism)
        {
            return ReadField(mechanism, "_password");
        }

        internal static bool AllZero(byte[] bytes)
        {
            foreach (byte b in bytes)
            {
                if (b != 0)
                {
                    return false;
                }
            }

            return true;
        }

        private static byte[] ReadField(SaslMechanism mechanism, string name)
        {
            FieldInfo field = typeof(SaslMechanism).GetField(name, BindingFlags.Instance | BindingFlags.NonPublic);
            return (byte[])field.GetValue(mechanism);
        }
    }
}
